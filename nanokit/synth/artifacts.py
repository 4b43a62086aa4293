"""Imaging artefacts: beam blur, scan-line jitter, shot and line noise."""

from __future__ import annotations

import numpy as np


def blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian beam blur of ``sigma`` px (float32 H x W in, out)."""
    import cv2

    return cv2.GaussianBlur(image, (0, 0), sigma) if sigma > 0 else image


def scan_jitter(
    rng: np.random.Generator, image: np.ndarray, mask: np.ndarray, amplitude: float
) -> tuple[np.ndarray, np.ndarray]:
    """Shift each scan line sideways by a smooth random offset (up to ~``amplitude`` px).

    A few lines get an extra jump. The mask is shifted the same way (nearest neighbour), so it
    stays aligned with the image.

    Returns:
        (image float32 H x W, mask uint16 H x W).
    """
    import cv2

    h, w = image.shape
    knots = rng.standard_normal(h // 16 + 2).astype(np.float32)
    shift = cv2.resize(knots[:, None], (1, h), interpolation=cv2.INTER_CUBIC)[:, 0] * amplitude
    glitches = rng.random(h) < 0.01
    shift[glitches] += rng.uniform(-2, 2, int(glitches.sum()))
    map_x = np.arange(w, dtype=np.float32)[None, :] + shift[:, None]
    map_y = np.repeat(np.arange(h, dtype=np.float32)[:, None], w, axis=1)
    image = cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    mask = cv2.remap(mask, map_x, map_y, cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE)
    return image, mask


def add_noise(rng: np.random.Generator, image: np.ndarray, sigma: float, shot: float) -> np.ndarray:
    """Gaussian read noise ``sigma`` plus signal-dependent shot noise and per-line offsets.

    Args:
        sigma: grey-level std of the signal-independent part.
        shot: variance per grey level of the shot part (0 = none).
    """
    std = np.sqrt(sigma**2 + shot * np.clip(image, 0, None))
    noisy = image + std * rng.standard_normal(image.shape, dtype=np.float32)
    noisy += rng.uniform(0, 2.5) * rng.standard_normal((image.shape[0], 1), dtype=np.float32)
    return noisy.astype(np.float32)
