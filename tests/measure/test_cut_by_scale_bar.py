"""Particles under the scale bar's label are left out, and the image says so."""

from __future__ import annotations

import csv
from pathlib import Path

import cv2
import numpy as np
import pytest

from nanokit.calibration.record import CalibrationRecord

from .conftest import write_noisy

#: (x0, y0, x1, y1) of a label printed over the lower particle.
LABEL = (150, 190, 230, 215)


def _measure(tmp_path: Path, segmenter: str, centres: list[tuple[int, int]]) -> dict[str, str]:
    from nanokit.apis.measure import make_settings, measure

    grey = np.full((260, 320), 200, np.uint8)
    for centre in centres:
        cv2.circle(grey, centre, 18, 50, -1)
    image = write_noisy(tmp_path / "image.png", grey)

    def calibrate(path, image=None, **kwargs) -> CalibrationRecord:  # noqa: ANN001, ANN003
        return CalibrationRecord(
            image=Path(path).name, ok=True, nm_per_px=2.0, source="manual", label_bbox=LABEL
        )

    settings = make_settings(scale=2.0, segmenter=segmenter)
    settings.calibrate = calibrate
    settings.text_overlays = False
    measure([image], tmp_path / "out", settings=settings, quiet=True)
    with (tmp_path / "out" / "images.csv").open(newline="") as fh:
        return next(csv.DictReader(fh))


@pytest.mark.parametrize("segmenter", ["classical", "instance"])
def test_an_image_whose_particle_lies_under_the_label_says_why_it_has_none(
    tmp_path: Path, segmenter: str
) -> None:
    row = _measure(tmp_path, segmenter, [(190, 200)])
    assert "many cut by scale bar" in row["qc_flags"]
    if segmenter == "instance":  # the classical one keeps a sliver beside the label
        assert row["status"] == "no particles"


def test_a_label_away_from_the_particles_raises_no_flag(tmp_path: Path) -> None:
    row = _measure(tmp_path, "classical", [(80, 80), (240, 80), (80, 200)])
    assert row["status"] == "ok" and row["n_particles"] == "3"
    assert "scale bar" not in row["qc_flags"]
