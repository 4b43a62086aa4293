"""Small faint blotches beside large bright particles are substrate, not particles."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

import nanokit.segmentation.classical_segmenter as classical
from nanokit.segmentation import ClassicalSegmenter


def _particles_and_blotches() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Twelve bright discs (60 px) and six soft blotches (20 px, 0.4 of their contrast)."""
    rng = np.random.default_rng(5)
    particles = np.zeros((384, 512), np.uint8)
    blotches = np.zeros((384, 512), np.uint8)
    for i in range(12):
        x, y = 50 + 135 * (i % 4), 50 + 140 * (i // 4)
        cv2.circle(particles, (x, y), 30, 1, -1)
        if i % 4 < 3 and i // 4 < 2:
            cv2.circle(blotches, (x + 67, y + 70), 10, 1, -1)
    grey = 60.0 + 100 * particles + cv2.GaussianBlur(40.0 * blotches, (0, 0), 3.0)
    grey = cv2.GaussianBlur(grey, (0, 0), 1.0) + rng.normal(0, 4, grey.shape)
    return np.clip(grey, 0, 255).astype(np.uint8), particles > 0, blotches > 0


@pytest.mark.parametrize("rule", [True, False])
def test_faint_small_regions_are_dropped(rule: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not rule:
        monkeypatch.setattr(classical, "_FAINT_SMALL_CONTRAST", 0.0)
    image, particles, blotches = _particles_and_blotches()
    mask = ClassicalSegmenter().predict_mask(image)
    assert (mask & particles).sum() > 0.9 * particles.sum()
    kept_blotches = cv2.connectedComponents((mask & blotches).astype(np.uint8))[0] - 1
    assert kept_blotches == (0 if rule else 6)
