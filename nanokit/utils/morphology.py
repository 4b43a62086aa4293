"""Morphology: binary opening and hole filling, and the grey-level reconstruction and h-maxima
that OpenCV lacks."""

from __future__ import annotations

import cv2
import numpy as np

#: Dilations between two convergence checks of :func:`reconstruct_by_dilation`.
_STEPS = 4


def reconstruct_by_dilation(seed: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Grey reconstruction of ``seed`` under ``limit`` by repeated 3x3 dilation.

    The sequence only grows, so it has converged once ``_STEPS`` dilations change nothing;
    checking every few steps instead of after each saves a comparison of whole images.
    """
    kernel = np.ones((3, 3), np.uint8)
    current = np.minimum(seed, limit)
    while True:
        previous = current
        for _ in range(_STEPS):
            current = cv2.min(cv2.dilate(current, kernel), limit)
        if np.array_equal(current, previous):
            return current


def h_maxima(levels: np.ndarray, height: int) -> np.ndarray:
    """bool mask of the domes of ``levels`` (uint8/uint16) that rise ``height`` or more above
    the saddle to any higher ground: the map lowered by ``height`` is reconstructed under
    itself; each dome is the connected part standing above the reconstruction (one
    component, even where its top level is reached at separate pixels) that somewhere
    stands ``height`` above it."""
    rebuilt = reconstruct_by_dilation(np.maximum(levels, height) - height, levels)
    count, caps = cv2.connectedComponents((levels > rebuilt).astype(np.uint8), connectivity=8)
    tall = np.zeros(count, dtype=bool)
    tall[caps[levels - rebuilt >= height]] = True
    tall[0] = False
    return tall[caps]


def open_mask(mask: np.ndarray, radius: int) -> np.ndarray:
    """Morphological opening with a disc of ``radius`` px (0: unchanged)."""
    if radius <= 0:
        return mask
    return cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, _disc(radius)).astype(bool)


def grow_mask(mask: np.ndarray, radius: int) -> np.ndarray:
    """bool ``mask`` dilated by a disc of ``radius`` px."""
    return cv2.dilate(mask.astype(np.uint8), _disc(radius)) > 0


def _disc(radius: int) -> np.ndarray:
    """OpenCV's elliptic structuring element ``2 * radius + 1`` px across."""
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))


def fill_holes(mask: np.ndarray) -> np.ndarray:
    """``mask`` with every region of background not connected to the image edge filled."""
    padded = np.pad(mask.astype(np.uint8), 1)
    cv2.floodFill(padded, None, (0, 0), 2)
    return (padded != 2)[1:-1, 1:-1]
