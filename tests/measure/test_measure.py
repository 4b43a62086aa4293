"""``measure`` end to end on small synthetic images: outputs, units, resuming, bad inputs."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import cv2
import numpy as np
import pytest
import tifffile

from nanokit.calibration.record import CalibrationRecord
from nanokit.measure.outputs import IMAGE_COLUMNS, PARTICLE_COLUMNS
from nanokit.measure.pipeline import DEFAULT_SEGMENTER


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def test_end_to_end_with_manual_scale(
    disc_folder: Path, tmp_path: Path, run_measure, disc_image
) -> None:
    out = tmp_path / "out"
    summary = run_measure([disc_folder], out, scale=2.5)
    header, images = _rows(out / "images.csv")
    assert header == list(IMAGE_COLUMNS)
    pheader, particles = _rows(out / "particles.csv")
    assert pheader == list(PARTICLE_COLUMNS)
    assert [r["image"] for r in images] == ["img0.png", "img1.png", "img2.png"]
    for i, row in enumerate(images):
        assert row["status"] == "ok"
        assert row["calibration_source"] == "manual" and float(row["nm_per_px"]) == 2.5
        assert int(row["n_particles"]) == 12
        mine = [p for p in particles if p["image"] == row["image"]]
        ecd_nm = np.array([float(p["ecd_nm"]) for p in mine])
        np.testing.assert_allclose(ecd_nm, [float(p["ecd_px"]) * 2.5 for p in mine], rtol=1e-5)
        assert float(row["mean_d_nm"]) == pytest.approx(ecd_nm.mean(), rel=1e-5)
        truth = 2 * np.array(disc_image(i)[1]) * 2.5
        assert float(row["mean_d_nm"]) == pytest.approx(truth.mean(), rel=0.05)
        assert all(float(p["feret_max_nm"]) >= float(p["feret_min_nm"]) > 0 for p in mine)
    for sub in ("masks", "overlays", "histograms"):
        assert sorted(p.name for p in (out / sub).iterdir()) == ["img0.png", "img1.png", "img2.png"]
    labels = cv2.imread(str(out / "masks" / "img0.png"), cv2.IMREAD_UNCHANGED)
    assert labels.dtype == np.uint16 and labels.max() == 12
    assert (out / "histogram.png").stat().st_size > 1000
    written = json.loads((out / "summary.json").read_text())
    assert written["pooled"]["n"] == summary["pooled"]["n"] == 36
    assert written["unit"] == "nm" and written["pooled"]["ci"]["mean"] is not None
    html = (out / "report.html").read_text()
    assert html.count("data:image/") >= 7  # pooled histogram + overlay and histogram per image
    assert "manual" in html and "img2.png" in html
    assert f"segmenter: {DEFAULT_SEGMENTER['type']} · sizer: WatershedSizer" in html


def test_uncalibrated_images_stay_in_px(disc_folder: Path, tmp_path: Path, run_measure) -> None:
    out = tmp_path / "out"
    summary = run_measure([disc_folder / "img0.png"], out, scale=None)
    _, images = _rows(out / "images.csv")
    row = images[0]
    assert row["status"].startswith("uncalibrated: scale bar unreadable")
    assert row["nm_per_px"] == "" and row["mean_d_nm"] == ""
    assert "scale bar unreadable" in row["qc_flags"]
    _, particles = _rows(out / "particles.csv")
    assert particles and all(p["ecd_nm"] == "" and float(p["ecd_px"]) > 0 for p in particles)
    assert summary["unit"] == "px" and summary["pooled"]["n"] == 12


def test_rerun_skips_done_images_and_redoes_unmarked(
    disc_folder: Path, tmp_path: Path, run_measure
) -> None:
    out = tmp_path / "out"
    run_measure([disc_folder], out)
    _, first = _rows(out / "particles.csv")
    stamp = {p.name: p.stat().st_mtime_ns for p in (out / "overlays").iterdir()}
    summary = run_measure([disc_folder], out)
    assert summary["settings"]["skipped"] == 3
    assert {p.name: p.stat().st_mtime_ns for p in (out / "overlays").iterdir()} == stamp
    (out / "done" / "img1.png.done").unlink()
    summary = run_measure([disc_folder], out)
    assert summary["settings"]["skipped"] == 2
    changed = [n for n, t in stamp.items() if (out / "overlays" / n).stat().st_mtime_ns != t]
    assert changed == ["img1.png"]
    _, images = _rows(out / "images.csv")
    assert sorted(r["image"] for r in images) == ["img0.png", "img1.png", "img2.png"]
    _, particles = _rows(out / "particles.csv")
    assert len(particles) == len(first)


def test_a_run_of_an_older_nanokit_is_resumed_with_today_s_columns(
    disc_folder: Path, tmp_path: Path, run_measure
) -> None:
    out = tmp_path / "out"
    run_measure([disc_folder], out)
    header, rows = _rows(out / "images.csv")
    older = header[:-1]  # before nm_per_px_uncertainty was written
    with (out / "images.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, older, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    cv2.imwrite(str(disc_folder / "img3.png"), cv2.imread(str(disc_folder / "img0.png")))
    run_measure([disc_folder], out)  # three images done, one new
    header, images = _rows(out / "images.csv")
    assert header == list(IMAGE_COLUMNS)
    assert [r["image"] for r in images] == ["img0.png", "img1.png", "img2.png", "img3.png"]
    assert all(None not in r for r in images)  # no row with more cells than the header


def test_killed_run_keeps_finished_rows(disc_folder: Path, tmp_path: Path, run_measure) -> None:
    out = tmp_path / "out"
    run_measure([disc_folder / "img0.png"], out)
    # An interrupted image: rows half written, no done-marker.
    with (out / "particles.csv").open("a") as fh:
        fh.write("img1.png,1,10,10,100,11.3,,,,1,1,false\n")
    run_measure([disc_folder], out)
    _, images = _rows(out / "images.csv")
    assert sorted(r["image"] for r in images) == ["img0.png", "img1.png", "img2.png"]
    _, particles = _rows(out / "particles.csv")
    assert sum(p["image"] == "img1.png" for p in particles) == 12


def test_bad_inputs_get_statuses_and_the_run_goes_on(
    disc_folder: Path, tmp_path: Path, run_measure, disc_image
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (bad / "notes.txt").write_text("not an image")
    grey, _ = disc_image(4)
    rgba = np.dstack([grey, grey, grey, np.full_like(grey, 255)])
    cv2.imwrite(str(bad / "rgba.png"), rgba)
    tifffile.imwrite(bad / "deep.tif", grey.astype(np.uint16) * 200)
    cv2.imwrite(str(bad / "empty.png"), np.full((200, 200), 60, np.uint8))
    cv2.imwrite(str(bad / "tiny.png"), np.zeros((20, 20), np.uint8))
    paths = [
        disc_folder / "img0.png",
        *(
            bad / n
            for n in ("corrupt.png", "notes.txt", "rgba.png", "deep.tif", "empty.png", "tiny.png")
        ),
        bad / "missing.png",
    ]
    run_measure(paths, tmp_path / "out")
    _, images = _rows(tmp_path / "out" / "images.csv")
    status = {r["image"]: r["status"] for r in images}
    flags = {r["image"]: r["qc_flags"] for r in images}
    assert status["images/img0.png"] == "ok"
    assert status["bad/corrupt.png"] == "failed: unreadable or corrupt image file"
    assert status["bad/notes.txt"] == "failed: unsupported format .txt"
    assert status["bad/missing.png"] == "failed: file not found"
    assert status["bad/tiny.png"].startswith("failed: image too small")
    assert status["bad/rgba.png"] == "ok" and "alpha dropped" in flags["bad/rgba.png"]
    assert status["bad/deep.tif"] == "ok" and "16-bit rescaled to 8-bit" in flags["bad/deep.tif"]
    assert status["bad/empty.png"] == "no particles"
    # Failed images have no done-marker: a re-run tries them again, and only them.
    summary = run_measure(paths, tmp_path / "out")
    assert summary["settings"]["skipped"] == 4


def test_scale_csv_calibrates_listed_images(disc_folder: Path, tmp_path: Path, run_measure) -> None:
    table = tmp_path / "scales.csv"
    table.write_text("image,nm_per_px\nimg0.png,2\nimg2,4\n")
    run_measure([disc_folder], tmp_path / "out", scale=str(table))
    _, images = _rows(tmp_path / "out" / "images.csv")
    scales = {r["image"]: r["nm_per_px"] for r in images}
    assert scales == {"img0.png": "2", "img1.png": "", "img2.png": "4"}


def test_report_statistics_do_not_depend_on_the_order_rows_were_written(
    disc_folder: Path, tmp_path: Path, run_measure
) -> None:
    """Workers finish images in any order; the summary (bootstrap CIs included) is the same."""
    from nanokit.report.run_stats import collect

    out = tmp_path / "out"
    run_measure([disc_folder], out, scale="2")
    before = collect(out)
    # Images in the reverse order (each image's particles stay together, in their order).
    for name in ("images.csv", "particles.csv"):
        header, *lines = (out / name).read_text(encoding="utf-8").splitlines(keepends=True)
        lines.sort(key=lambda line: line.split(",")[0], reverse=True)
        (out / name).write_text("".join([header, *lines]), encoding="utf-8")
    manifest = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (out / "manifest.jsonl").write_text("".join(manifest[::-1]), encoding="utf-8")
    after = collect(out)
    assert [i.record.image for i in after.images] == sorted(i.record.image for i in before.images)
    assert [i.stats for i in after.images] == [i.stats for i in before.images]
    assert after.pooled == before.pooled


@pytest.mark.parametrize(
    ("part", "cfg", "message"),
    [
        ("segmenter", {"type": "ClassicalSegmenter", "dark_quantile": 2.0}, "must be in (0, 1]"),
        ("sizer", {"type": "WatershedSizer", "min_area": 3}, "unexpected keyword"),
    ],
)
def test_a_bad_component_option_is_one_error_before_any_image(
    disc_folder: Path, tmp_path: Path, part: str, cfg: dict, message: str
) -> None:
    from nanokit.apis.measure import make_settings, measure
    from nanokit.errors import NanokitError

    settings = make_settings(scale=2.5)
    setattr(settings, part, cfg)
    with pytest.raises(NanokitError, match=rf"^measure\.{part} .*{re.escape(message)}") as err:
        measure([disc_folder], tmp_path / "out", settings=settings, workers=2, quiet=True)
    assert "\n" not in str(err.value)
    assert not (tmp_path / "out").exists()


def test_faint_particles_on_blotches_never_give_an_unflagged_distribution(
    disc_folder: Path, tmp_path: Path, run_measure
) -> None:
    from .test_contrast import _scene

    cv2.imwrite(str(disc_folder / "faint.png"), _scene(contrast=12, blotches=8)[0])
    # the classical segmenter takes blotches for particles: the flag says so
    run_measure([disc_folder], tmp_path / "classical", segmenter="ClassicalSegmenter")
    _, images = _rows(tmp_path / "classical" / "images.csv")
    flags = {r["image"]: r["qc_flags"] for r in images}
    assert "low contrast" in flags["faint.png"]
    assert not any("low contrast" in flags[f"img{i}.png"] for i in range(3))
    # the default network finds nothing it is sure of there: a status, not a distribution
    run_measure([disc_folder], tmp_path / "default")
    _, images = _rows(tmp_path / "default" / "images.csv")
    faint = next(r for r in images if r["image"] == "faint.png")
    assert faint["status"] == "no particles" or "low contrast" in faint["qc_flags"]


def test_a_scale_bar_s_length_uncertainty_widens_the_intervals(
    disc_folder: Path, tmp_path: Path
) -> None:
    """A bar of 100 ± 0.5 px gives nm_per_px ± 0.5 %: in images.csv, the report and every
    interval of the image's statistics and of the pooled ones (the manual run's, widened)."""
    from nanokit.apis.measure import make_settings, measure

    def calibrate(path: str | Path, image: np.ndarray | None = None, **_: object):
        name = Path(path).name
        return CalibrationRecord(
            image=name, ok=True, nm_per_px=2.5, source="scalebar", bar_px=100.0,
            bar_px_uncertainty=0.5, value=250.0, unit="nm", value_nm=250.0,
        )  # fmt: skip

    runs = {}
    for name, fake in (("manual", None), ("bar", calibrate)):
        settings = make_settings(scale=2.5 if fake is None else None)
        if fake is not None:
            settings.calibrate = fake
        runs[name] = measure([disc_folder], tmp_path / name, settings=settings, quiet=True)
    _, images = _rows(tmp_path / "bar" / "images.csv")
    assert [float(r["nm_per_px_uncertainty"]) for r in images] == [0.0125] * 3
    manual, bar = runs["manual"]["pooled"], runs["bar"]["pooled"]
    assert bar["mean"] == manual["mean"] and bar["scale_uncertainty"] == pytest.approx(0.005)
    for name in ("mean", "d50", "d90"):
        low, high = manual["ci"][name]
        assert bar["ci"][name] == pytest.approx([low * 0.995, high * 1.005])
    html = (tmp_path / "bar" / "report.html").read_text()
    assert "2.5 ± 0.5 % nm/px" in html and "widened by the calibration" in html
    assert "widened" not in (tmp_path / "manual" / "report.html").read_text()
    # a label image edited by hand and remeasured keeps its calibration's uncertainty
    from nanokit.apis.remeasure import remeasure
    from nanokit.measure.run_folder import load_run

    record = load_run(tmp_path / "bar")["img1"]
    labels = cv2.imread(str(record.mask_path), cv2.IMREAD_UNCHANGED)
    labels[labels == 2] = 1
    cv2.imwrite(str(record.mask_path), labels)
    assert remeasure(tmp_path / "bar", quiet=True).corrected == ["img1.png"]
    _, images = _rows(tmp_path / "bar" / "images.csv")
    assert [float(r["nm_per_px_uncertainty"]) for r in images] == [0.0125] * 3
    assert load_run(tmp_path / "bar")["img1"].stats["scale_uncertainty"] == pytest.approx(0.005)


def test_coloured_arrows_over_a_micrograph_are_no_particles(tmp_path: Path, run_measure) -> None:
    rng = np.random.default_rng(0)
    grey = np.full((240, 320), 50.0)
    for x in (60, 160, 260):
        for y in (60, 180):
            cv2.circle(grey, (x, y), 15, 190, -1)
    grey = np.clip(grey + rng.normal(0, 6, grey.shape), 0, 255).astype(np.uint8)
    marked = np.dstack([grey, grey, grey])
    for x in (90, 190):  # yellow arrows between the discs, a circle around one of them
        cv2.arrowedLine(marked, (x, 100), (x + 30, 130), (0, 255, 255), 3, cv2.LINE_AA)
    cv2.circle(marked, (160, 180), 30, (0, 255, 255), 3, cv2.LINE_AA)
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "plain.png"), grey)
    cv2.imwrite(str(folder / "marked.png"), marked)
    run_measure([folder], tmp_path / "out")
    _, images = _rows(tmp_path / "out" / "images.csv")
    rows = {r["image"]: r for r in images}
    assert rows["plain.png"]["n_particles"] == rows["marked.png"]["n_particles"] == "6"
    assert float(rows["marked.png"]["mean_d_nm"]) == pytest.approx(
        float(rows["plain.png"]["mean_d_nm"]), rel=0.005
    )
