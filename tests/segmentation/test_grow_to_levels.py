"""Final mask: particles grow past the candidates to their own cut level, never into each other."""

from __future__ import annotations

import cv2
import numpy as np

from nanokit.segmentation.classical_segmenter import _Cut, grow_to_levels


def _discs(centres: list[tuple[int, int]], radius: float) -> np.ndarray:
    yy, xx = np.mgrid[:80, :120]
    flat = np.zeros((80, 120), np.float32)
    for cx, cy in centres:
        flat = np.maximum(flat, (np.hypot(xx - cx, yy - cy) <= radius).astype(np.float32))
    return 10 * flat


def test_a_truncated_particle_grows_to_its_level_within_reach() -> None:
    flat = _discs([(40, 40)], 12)
    core = flat > 0
    core &= cv2.erode(core.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0  # candidates: the top
    cut = _Cut(flat, core.astype(np.int32), np.array([np.inf, 5.0], np.float32))
    grown = grow_to_levels(core, cut, reach=8)
    assert grown.sum() == (flat > 5).sum()
    assert grow_to_levels(core, cut, reach=2).sum() < grown.sum()  # no further than reach


def test_growth_never_joins_two_regions() -> None:
    flat = _discs([(40, 40), (62, 40)], 12)  # overlapping: one bright blob of two particles
    cores = _discs([(40, 40), (62, 40)], 6) > 0
    parts = cv2.connectedComponents(cores.astype(np.uint8))[1]
    cut = _Cut(flat, parts, np.array([np.inf, 5.0, 5.0], np.float32))
    grown = grow_to_levels(cores, cut, reach=8)
    assert cv2.connectedComponents(grown.astype(np.uint8), connectivity=8)[0] - 1 == 2
    assert grown.sum() > 0.9 * (flat > 5).sum()


def test_parts_not_kept_do_not_grow() -> None:
    flat = _discs([(40, 40)], 12)
    core = (flat > 0) & (cv2.erode((flat > 0).astype(np.uint8), np.ones((9, 9), np.uint8)) > 0)
    cut = _Cut(flat, core.astype(np.int32), np.array([np.inf, np.inf], np.float32))
    assert (grow_to_levels(core, cut, reach=8) == core).all()
