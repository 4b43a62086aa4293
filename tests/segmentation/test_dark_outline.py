"""Dark particles are outlined from a lower quantile of their pixels than bright ones."""

from __future__ import annotations

import cv2
import numpy as np

from nanokit.segmentation import ClassicalSegmenter


def _dark_spheres() -> tuple[np.ndarray, np.ndarray]:
    """TEM-like dark spheres (darkest at their thick centre) on a noisy substrate."""
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[:384, :512]
    grey = np.full((384, 512), 160.0)
    truth = np.zeros((384, 512), bool)
    for cy in range(40, 354, 64):
        for cx in range(40, 482, 64):
            distance = np.hypot(yy - cy, xx - cx) / (14 + rng.uniform(-2, 2))
            grey -= 40 * np.sqrt(np.clip(1 - distance**2, 0, 1))
            truth |= distance <= 1
    grey = cv2.GaussianBlur(grey, (0, 0), 1.0) + rng.normal(0, 4, grey.shape)
    return np.clip(grey, 0, 255).astype(np.uint8), truth


def test_dark_spheres_are_outlined_closer_to_their_edge() -> None:
    image, truth = _dark_spheres()
    share = {
        q: ClassicalSegmenter(dark_quantile=q).predict_mask(image).sum() / truth.sum()
        for q in (None, 0.75)
    }
    # Cut at half of the darkest pixels' depth, a sphere keeps ~70 % of its area; from the
    # 75 % quantile more of it, and never more than all of it.
    assert share[None] + 0.03 < share[0.75] <= 1.0
