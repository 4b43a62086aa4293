"""measure drops the particles of a label segmenter that hardly stand out from the substrate."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

import cv2
import numpy as np
import pytest

from nanokit.segmentation import BaseSegmenter
from nanokit.segmentation.overlays import Box

from .conftest import registered_segmenter, write_noisy

#: Eight dark discs 30 px wide and four faint smudges of the same size on a bright substrate.
DISCS = [(60 + 80 * (i % 4), 60 + 80 * (i // 4)) for i in range(8)]
SMUDGES = [(60 + 80 * i, 240) for i in range(4)]


class LabelSegmenter(BaseSegmenter):
    """Labels every disc and smudge of :func:`_image` (a network that outlines smudges too)."""

    def predict_mask(
        self,
        grey: np.ndarray,
        rows: tuple[int, int] | None = None,
        overlays: Sequence[Box] = (),
    ) -> np.ndarray:
        labels = np.zeros(grey.shape, np.int32)
        for i, centre in enumerate(DISCS + SMUDGES, start=1):
            cv2.circle(labels, centre, 15, i, -1)
        return labels


@pytest.fixture
def label_segmenter() -> Iterator[type]:
    with registered_segmenter(LabelSegmenter) as cls:
        yield cls


def _image(path: Path) -> Path:
    grey = np.full((320, 360), 200, np.float32)
    for centre in DISCS:
        cv2.circle(grey, centre, 15, 50, -1)
    for centre in SMUDGES:
        cv2.circle(grey, centre, 15, 188, -1)
    return write_noisy(path, grey)


@pytest.mark.parametrize("faint_contrast, count", [(0.2, 8), (None, 12)])
def test_faint_particles_are_left_out(
    label_segmenter, tmp_path: Path, faint_contrast: float | None, count: int
) -> None:
    from nanokit.apis.measure import make_settings, measure

    from .conftest import _fake_calibrate

    settings = make_settings(scale=2.0)
    settings.segmenter = {"type": "LabelSegmenter"}
    settings.faint_contrast = faint_contrast
    settings.calibrate = _fake_calibrate
    image = _image(tmp_path / "img.png")
    measure([image], tmp_path / "out", settings=settings, quiet=True)
    with (tmp_path / "out" / "particles.csv").open(newline="") as f:
        assert len(list(csv.DictReader(f))) == count
