"""Substrate texture and uneven illumination."""

from __future__ import annotations

import numpy as np


def smooth_noise(rng: np.random.Generator, shape: tuple[int, int], cell: float) -> np.ndarray:
    """Gaussian noise with a correlation length of about ``cell`` pixels (std about 0.6).

    Returns:
        float32 (H, W).
    """
    import cv2

    h, w = shape
    grid = (max(2, round(h / cell) + 2), max(2, round(w / cell) + 2))
    small = rng.standard_normal(grid, dtype=np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def substrate(rng: np.random.Generator, shape: tuple[int, int], level: float) -> np.ndarray:
    """An SEM substrate around grey ``level``: soft blotches and occasional smudges.

    Returns:
        float32 (H, W) grey values (not clipped).
    """
    bg = np.full(shape, level, np.float32)
    bg += rng.uniform(2, 12) * smooth_noise(rng, shape, rng.uniform(10, 40))
    if rng.random() < 0.35:
        blobs = np.clip(smooth_noise(rng, shape, rng.uniform(20, 60)) - 0.8, 0, None)
        bg += rng.choice([-1, 1]) * rng.uniform(8, 25) * blobs
    return bg


def illumination(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Uneven brightness over the whole field (added to substrate and particles alike).

    Returns:
        float32 (H, W) grey-level offsets with mean about 0: a ramp plus very slow waves.
    """
    h, w = shape
    angle = rng.uniform(0, 2 * np.pi)
    x = np.arange(w, dtype=np.float32) - (w - 1) / 2
    y = np.arange(h, dtype=np.float32) - (h - 1) / 2
    ramp = (float(np.cos(angle)) * x[None, :] + float(np.sin(angle)) * y[:, None]) / max(h, w)
    slow = smooth_noise(rng, shape, rng.uniform(150, 400))
    return rng.uniform(0, 30) * ramp + rng.uniform(0, 18) * slow
