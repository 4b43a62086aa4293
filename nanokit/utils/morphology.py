"""Grey-level morphology on integer images that OpenCV lacks: reconstruction and h-maxima."""

from __future__ import annotations

import cv2
import numpy as np


def reconstruct_by_dilation(seed: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Grey reconstruction of ``seed`` under ``limit`` by repeated 3x3 dilation."""
    kernel = np.ones((3, 3), np.uint8)
    current = np.minimum(seed, limit)
    while True:
        grown = np.minimum(cv2.dilate(current, kernel), limit)
        if np.array_equal(grown, current):
            return current
        current = grown


def h_maxima(levels: np.ndarray, height: int) -> np.ndarray:
    """bool mask of the domes of ``levels`` (uint8/uint16) that rise ``height`` or more above
    the saddle to any higher ground: the map lowered by ``height`` is reconstructed under
    itself, and what stands ``height`` above the reconstruction stays."""
    rebuilt = reconstruct_by_dilation(np.maximum(levels, height) - height, levels)
    return levels - rebuilt >= height
