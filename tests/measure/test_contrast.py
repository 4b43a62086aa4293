"""The contrast-to-texture ratio behind the ``low contrast`` QC flag."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from nanokit.measure.contrast import contrast_to_texture


def _scene(contrast: float, blotches: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """20 discs of 24 px on a substrate with noise and blotches of the discs' own size."""
    rng = np.random.default_rng(seed)
    mask = np.zeros((300, 400), np.uint8)
    for i in range(20):
        cv2.circle(mask, (30 + 85 * (i % 5), 35 + 75 * (i // 5)), 12, 1, -1)
    texture = cv2.GaussianBlur(rng.normal(0, 1, mask.shape).astype(np.float32), (0, 0), 6)
    texture *= blotches / texture.std()
    grey = 100 + contrast * mask + texture + rng.normal(0, 4, mask.shape)
    return np.clip(grey, 0, 255).astype(np.uint8), mask.astype(bool)


def test_clear_particles_score_high_and_faint_ones_on_blotches_low() -> None:
    clear = contrast_to_texture(*_scene(contrast=60, blotches=3), diameter=24)
    faint = contrast_to_texture(*_scene(contrast=12, blotches=8), diameter=24)
    assert clear is not None and clear > 10
    assert faint is not None and faint < 4


def test_dark_particles_score_like_bright_ones() -> None:
    grey, mask = _scene(contrast=60, blotches=3)
    dark = 200 - grey.astype(np.int16)
    bright_score = contrast_to_texture(grey, mask, diameter=24)
    assert contrast_to_texture(dark.astype(np.uint8), mask, diameter=24) == pytest.approx(
        bright_score, rel=0.05
    )


def test_no_particles_or_no_substrate_give_none() -> None:
    grey, mask = _scene(contrast=60, blotches=3)
    assert contrast_to_texture(grey, np.zeros_like(mask), diameter=24) is None
    assert contrast_to_texture(grey, np.ones_like(mask), diameter=24) is None
