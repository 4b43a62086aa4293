"""A micrograph cut from a figure with its uniform border: the border's inner edge is the frame."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from nanokit.apis.remeasure import remeasure
from nanokit.measure.run_folder import load_run
from nanokit.report.overlay import FRAME

#: Width (px) of the white border the figure gave the micrograph.
MARGIN = 20


def _cut_discs_image(shape: tuple[int, int] = (240, 320)) -> np.ndarray:
    """Bright discs on a noisy dark substrate; four of them cut by the micrograph's edges."""
    rng = np.random.default_rng(3)
    image = np.full(shape, 50, np.float64)
    height, width = shape
    inner = [(60, 60), (160, 60), (260, 60), (60, 170), (160, 170), (260, 170), (110, 115)]
    cut = [(0, 120), (width - 1, 90), (200, 0), (120, height - 1)]
    for x, y in inner + cut:
        cv2.circle(image, (x, y), 14, 190, -1)
    image += rng.normal(0, 6, shape)
    return np.clip(image, 0, 255).astype(np.uint8)


def _particles(out: Path, image: str) -> list[dict[str, str]]:
    with (out / "particles.csv").open(newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["image"] == image]


@pytest.fixture
def framed_run(tmp_path: Path, run_measure) -> Path:
    image = _cut_discs_image()
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "bare.png"), image)
    framed = cv2.copyMakeBorder(image, *(4 * [MARGIN]), cv2.BORDER_CONSTANT, value=255)
    cv2.imwrite(str(folder / "framed.png"), framed)
    gutter = np.full((image.shape[0], 12), 255, np.uint8)
    cv2.imwrite(str(folder / "panels.png"), np.hstack([image, gutter, image[:, ::-1]]))
    out = tmp_path / "out"
    run_measure([folder], out, scale=2.0)
    return out


def test_particles_cut_by_the_micrograph_edge_inside_a_margin_are_cut(framed_run: Path) -> None:
    bare, framed = _particles(framed_run, "bare.png"), _particles(framed_run, "framed.png")
    assert len(bare) == len(framed) == 11
    # the same particles, the same sizes, centres in the framed image's px
    for b, f in zip(bare, framed, strict=True):
        assert f["touches_border"] == b["touches_border"]
        assert float(f["ecd_px"]) == pytest.approx(float(b["ecd_px"]), abs=0.5)
        assert float(f["cx_px"]) == pytest.approx(float(b["cx_px"]) + MARGIN, abs=0.5)
        assert float(f["cy_px"]) == pytest.approx(float(b["cy_px"]) + MARGIN, abs=0.5)
    assert sum(p["touches_border"] == "true" for p in framed) == 4
    with (framed_run / "images.csv").open(newline="") as fh:
        rows = {r["image"]: r for r in csv.DictReader(fh)}
    assert int(rows["bare.png"]["n_particles"]) == int(rows["framed.png"]["n_particles"]) == 7


def test_a_figure_of_two_panels_is_measured_panel_by_panel(framed_run: Path) -> None:
    with (framed_run / "images.csv").open(newline="") as fh:
        rows = {r["image"]: r for r in csv.DictReader(fh)}
    assert "several panels" in rows["panels.png"]["qc_flags"]
    assert "several panels" not in rows["bare.png"]["qc_flags"] + rows["framed.png"]["qc_flags"]
    # the discs the gutter's edges cut are cut: each panel measures what the bare image does
    assert int(rows["panels.png"]["n_particles"]) == 2 * int(rows["bare.png"]["n_particles"])
    cut = [p for p in _particles(framed_run, "panels.png") if p["touches_border"] == "true"]
    assert len(cut) == 8


def test_the_frame_is_recorded_and_drawn(framed_run: Path) -> None:
    lines = (framed_run / "manifest.jsonl").read_text().splitlines()
    frames = {json.loads(line)["image"]: json.loads(line)["frames"] for line in lines}
    assert frames["bare.png"] == [[0, 240, 0, 320]]
    assert frames["framed.png"] == [[20, 260, 20, 340]]
    assert frames["panels.png"] == [[0, 240, 0, 320], [0, 240, 332, 652]]
    overlay = cv2.imread(str(framed_run / "overlays" / "framed.png"))
    magenta = np.all(overlay == FRAME, axis=2)
    # the margin's inner edge, one px outside the frame on each side, and nothing else
    assert magenta[MARGIN - 1, MARGIN:-MARGIN].all() and magenta[-MARGIN, MARGIN:-MARGIN].all()
    assert magenta[MARGIN:-MARGIN, MARGIN - 1].all() and magenta[MARGIN:-MARGIN, -MARGIN].all()
    assert not np.all(cv2.imread(str(framed_run / "overlays" / "bare.png")) == FRAME, axis=2).any()


def test_a_hand_drawn_particle_at_the_frame_is_cut_and_one_in_the_margin_dropped(
    framed_run: Path,
) -> None:
    record = load_run(framed_run)["framed"]
    labels = cv2.imread(str(record.mask_path), cv2.IMREAD_UNCHANGED)
    top = MARGIN + 200
    labels[top : top + 12, MARGIN : MARGIN + 12] = 40  # reaches the frame's left side
    labels[top : top + 12, 2:12] = 41  # in the margin
    cv2.imwrite(str(record.mask_path), labels)

    result = remeasure(framed_run, quiet=True)

    assert result.corrected == ["framed.png"]
    new = {int(p["particle_id"]): p for p in _particles(framed_run, "framed.png")}
    assert new[40]["touches_border"] == "true" and int(new[40]["area_px"]) == 144
    assert 41 not in new


def test_two_panels_of_one_magnification_measure_as_the_image_twice(
    tmp_path: Path, shared_data: Path
) -> None:
    """A journal crop twice, side by side: the scale bar read in one panel and the other
    panel's bar (which agrees) are both left out of the particles."""
    from nanokit.apis.measure import make_settings, measure
    from nanokit.io.images import read_image

    grey = read_image(shared_data / "scalebars/images/ide__scalebar__500_nm.png").grey
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "single.png"), grey)
    gutter = np.full((grey.shape[0], 10), 255, np.uint8)
    cv2.imwrite(str(folder / "twin.png"), np.hstack([grey, gutter, grey]))
    out = tmp_path / "out"
    measure([folder], out, settings=make_settings(), quiet=True, workers=1)
    with (out / "images.csv").open(newline="") as fh:
        rows = {r["image"]: r for r in csv.DictReader(fh)}
    assert rows["twin.png"]["nm_per_px"] == rows["single.png"]["nm_per_px"] != ""
    assert int(rows["twin.png"]["n_particles"]) == 2 * int(rows["single.png"]["n_particles"])
