"""A blank field is not segmented: it has no particles, whatever a network sees in it."""

from __future__ import annotations

import cv2
import numpy as np

from nanokit.segmentation.substrate import featureless


def test_a_flat_field_with_salt_noise_is_featureless() -> None:
    grey = np.full((200, 300), 60, np.uint8)
    assert featureless(grey)
    rng = np.random.default_rng(0)
    grey[rng.integers(0, 200, 50), rng.integers(0, 300, 50)] = 255  # single hot pixels
    assert featureless(grey)
    assert featureless(np.zeros((0, 10), np.uint8))


def test_a_faint_small_particle_or_noise_is_structure() -> None:
    grey = np.full((200, 300), 60, np.uint8)
    cv2.circle(grey, (150, 100), 2, 63, -1)  # 5 px across, 3 grey levels above the field
    assert not featureless(grey)
    noisy = np.clip(60 + np.random.default_rng(1).normal(0, 3, (200, 300)), 0, 255)
    assert not featureless(noisy.astype(np.uint8))
