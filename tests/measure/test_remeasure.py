"""``remeasure``: a run recomputed after its ROI sets or label images were edited by hand."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
from roifile import ImagejRoi, roiread, roiwrite

from nanokit.apis.remeasure import remeasure
from nanokit.measure.fiji import label_polygons, read_roi_set
from nanokit.measure.run_folder import load_run


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _particles(out: Path, image: str) -> dict[int, dict[str, str]]:
    rows = _rows(out / "particles.csv")
    return {int(r["particle_id"]): r for r in rows if r["image"] == image}


def _free_square(labels: np.ndarray, side: int) -> tuple[int, int]:
    """Top-left x, y of a side x side square of background away from the border."""
    for y in range(10, labels.shape[0] - side - 10, 4):
        for x in range(10, labels.shape[1] - side - 10, 4):
            if not labels[y - 3 : y + side + 3, x - 3 : x + side + 3].any():
                return x, y
    raise AssertionError("no free square")


@pytest.fixture
def measured(disc_folder: Path, tmp_path: Path, run_measure) -> Path:
    out = tmp_path / "out"
    run_measure([disc_folder], out, scale=2.5)
    return out


def test_written_roi_sets_fill_back_to_the_label_images(measured: Path) -> None:
    record = load_run(measured)["img1"]
    labels = cv2.imread(str(record.mask_path), cv2.IMREAD_UNCHANGED)
    ids = set(np.unique(labels)) - {0}
    back, added = read_roi_set(record.roi_path, labels.shape, record.image, ids)
    assert added == [] and np.array_equal(back, labels)
    rois = roiread(record.roi_path)
    assert sorted(int(r.name) for r in rois) == sorted(ids)
    assert set(label_polygons(labels)) == ids


def test_roi_set_edited_in_fiji_round_trip(measured: Path) -> None:
    before = {row["image"]: row for row in _rows(measured / "images.csv")}
    old = _particles(measured, "img0.png")
    record = load_run(measured)["img0"]
    labels = cv2.imread(str(record.mask_path), cv2.IMREAD_UNCHANGED)
    inner = [i for i, p in old.items() if p["touches_border"] == "false"]
    deleted = inner[0]
    x, y = _free_square(labels, 12)
    square = [[x, y], [x + 11, y], [x + 11, y + 11], [x, y + 11]]
    rois = [r for r in roiread(record.roi_path) if r.name != str(deleted)]
    rois.append(ImagejRoi.frompoints(square, name="0042-0117"))  # Fiji's name for a new ROI
    roiwrite(record.roi_path, rois, mode="w")

    result = remeasure(measured, quiet=True)

    assert result.corrected == ["img0.png"] and result.rejected == []
    new = _particles(measured, "img0.png")
    added = max(old) + 1
    assert set(new) == (set(old) - {deleted}) | {added}
    for i in set(old) - {deleted}:
        assert new[i]["ecd_px"] == old[i]["ecd_px"] and new[i]["cx_px"] == old[i]["cx_px"]
    assert int(new[added]["area_px"]) == 144
    assert float(new[added]["ecd_nm"]) == pytest.approx(np.sqrt(4 * 144 / np.pi) * 2.5, rel=1e-4)
    after = {row["image"]: row for row in _rows(measured / "images.csv")}
    assert int(after["img0.png"]["n_particles"]) == int(before["img0.png"]["n_particles"])
    assert "corrected by hand" in after["img0.png"]["qc_flags"]
    assert after["img1.png"] == before["img1.png"] and after["img2.png"] == before["img2.png"]
    run = load_run(measured)
    assert run["img0"].corrected == "rois" and run["img0"].edited() == []
    assert run["img1"].corrected is None
    mask = cv2.imread(str(run["img0"].mask_path), cv2.IMREAD_UNCHANGED)
    assert (mask == deleted).sum() == 0 and (mask == added).sum() == 144
    assert {r.name for r in roiread(run["img0"].roi_path)} == {str(i) for i in new}
    assert "corrected by hand" in (measured / "report.html").read_text(encoding="utf-8")


def test_label_image_edited_in_napari_is_remeasured(measured: Path) -> None:
    old = _particles(measured, "img2.png")
    record = load_run(measured)["img2"]
    labels = cv2.imread(str(record.mask_path), cv2.IMREAD_UNCHANGED)
    first, second = sorted(old)[:2]
    labels[labels == second] = first  # two particles painted into one
    cv2.imwrite(str(record.mask_path), labels)

    result = remeasure(measured, quiet=True)

    assert result.corrected == ["img2.png"]
    new = _particles(measured, "img2.png")
    assert set(new) == set(old) - {second}
    assert int(new[first]["area_px"]) == int(old[first]["area_px"]) + int(old[second]["area_px"])
    assert load_run(measured)["img2"].corrected == "mask"


def test_bad_edits_get_a_status_and_the_other_images_are_recomputed(measured: Path) -> None:
    run = load_run(measured)
    before = {row["image"]: row for row in _rows(measured / "images.csv")}
    old = {image: _particles(measured, image) for image in before}
    run["img0"].roi_path.write_bytes(b"PK\x03\x04 not really a zip")
    shutil.copy(run["img2"].roi_path, run["img1"].roi_path)  # the ROI set of another image
    labels = cv2.imread(str(run["img2"].mask_path), cv2.IMREAD_UNCHANGED)
    labels[labels == min(old["img2.png"])] = 0
    cv2.imwrite(str(run["img2"].mask_path), labels)  # a good edit

    result = remeasure(measured, quiet=True)

    assert result.corrected == ["img2.png"]
    assert [m.split(":")[0] for m in result.rejected] == ["img0.png", "img1.png"]
    after = {row["image"]: row for row in _rows(measured / "images.csv")}
    assert after["img0.png"]["status"].startswith("edit rejected: img0.zip: not a readable")
    assert "belongs to image img2.png, not img1.png" in after["img1.png"]["status"]
    for image in ("img0.png", "img1.png"):
        assert _particles(measured, image) == old[image]
        assert after[image]["mean_d_nm"] == before[image]["mean_d_nm"]
    assert set(_particles(measured, "img2.png")) == set(old["img2.png"]) - {min(old["img2.png"])}
    # the rejected edits stay edited: fixed, they count on the next remeasure
    assert load_run(measured)["img0"].edited() == ["rois"]


def test_labels_of_the_wrong_shape_and_foreign_numbers_are_rejected(measured: Path) -> None:
    run = load_run(measured)
    cv2.imwrite(str(run["img0"].mask_path), np.ones((10, 20), np.uint16))
    rois = roiread(run["img1"].roi_path)
    rois[0].name = "999"
    roiwrite(run["img1"].roi_path, rois, mode="w")

    result = remeasure(measured, quiet=True)

    assert result.corrected == []
    assert result.rejected == [
        "img0.png: masks/img0.png is 20x10 px, its image 320x240",
        "img1.png: img1.zip: ROI name 999 is no particle of img1.png",
    ]


def test_remeasure_without_edits_changes_no_table(measured: Path) -> None:
    images = (measured / "images.csv").read_text(encoding="utf-8")
    particles = (measured / "particles.csv").read_text(encoding="utf-8")
    result = remeasure(measured, quiet=True)
    assert result.corrected == [] and result.rejected == []
    assert (measured / "images.csv").read_text(encoding="utf-8") == images
    assert (measured / "particles.csv").read_text(encoding="utf-8") == particles
