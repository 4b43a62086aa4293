"""The substrate under the particles: its level and noise, and flattening it away."""

from __future__ import annotations

import cv2
import numpy as np

from .region_stats import label_quantile, nearest_region


def background_level(flat: np.ndarray, clip: float = 3.0, rounds: int = 3) -> tuple[float, float]:
    """Substrate level and noise (grey levels) of a flattened image with bright particles.

    The median and the spread of the pixels below it (1.4826 x their median distance to
    it, unaffected by the particles above) are re-estimated from the pixels under
    ``median + clip * spread`` for ``rounds`` rounds. The noise includes the substrate's
    texture, which a particle has to stand out from.
    """
    values = flat[::2, ::4].ravel()  # 1 pixel in 8: medians of ~100k values, quick and stable
    level = float(np.median(values))
    spread = 0.0
    for _ in range(rounds):
        below = values[values <= level]
        spread = 1.4826 * float(np.median(level - below)) if below.size else 0.0
        values = values[values < level + clip * max(spread, 1e-3)]
        if values.size == 0:
            break
        level = float(np.median(values))
    return level, max(spread, 1e-3)


def open_background(grey: np.ndarray, width: float) -> np.ndarray:
    """Substrate under bright particles: grey opening with a disc of ``width`` px, smoothed."""
    factor = int(max(1, width // 12))
    height, w = grey.shape
    small = cv2.resize(
        grey, (max(1, w // factor), max(1, height // factor)), interpolation=cv2.INTER_AREA
    )
    size = int(round(width / factor)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    small = cv2.morphologyEx(small, cv2.MORPH_OPEN, kernel, borderType=cv2.BORDER_REFLECT)
    small = cv2.GaussianBlur(small, (0, 0), width / 2 / factor)
    return cv2.resize(small, (w, height), interpolation=cv2.INTER_LINEAR)


def wide_blur(grey: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur of ``sigma`` px, at reduced resolution when that is over 8 px (fast)."""
    factor = int(sigma // 4)
    if factor <= 1:
        return cv2.GaussianBlur(grey, (0, 0), sigma)
    height, width = grey.shape
    size = (max(1, width // factor), max(1, height // factor))
    small = cv2.GaussianBlur(
        cv2.resize(grey, size, interpolation=cv2.INTER_AREA), (0, 0), sigma / factor
    )
    return cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)


def ring_median(
    flat: np.ndarray, labels: np.ndarray, count: int, gap: float, width: float
) -> np.ndarray:
    """(count,) median of ``flat`` in a ring ``gap`` to ``gap + width`` px around each region
    of ``labels`` (a ring pixel belongs to its nearest region; NaN for regions without one)."""
    distance, owner = nearest_region(labels)
    ring = (distance > gap) & (distance <= gap + width)
    return label_quantile(flat[ring], owner[ring], count, 0.5)


def pixel_noise(grey: np.ndarray, axes: tuple[int, ...] = (0, 1)) -> float:
    """Robust standard deviation of the pixel noise, from the differences of neighbouring pixels
    along ``axes`` (0: vertical, 1: horizontal)."""
    if grey.dtype.kind in "ui" and grey.dtype.itemsize <= 2:
        # Integer grey levels: medians by counting, exactly np.median's, without sorting a
        # million differences. Doubled so that the half-integer median stays an integer.
        values = grey.astype(np.int16 if grey.dtype.itemsize == 1 else np.int32)
        doubled = np.concatenate([2 * np.diff(values, axis=axis).ravel() for axis in axes])
        centre = round(integer_median(doubled))
        spread = integer_median(np.abs(doubled - centre)) / 2
    else:
        values = grey.astype(np.float32)
        diffs = np.concatenate([np.diff(values, axis=axis).ravel() for axis in axes])
        spread = float(np.median(np.abs(diffs - np.median(diffs))))
    return float(1.4826 * spread / np.sqrt(2))


def integer_median(values: np.ndarray) -> float:
    """np.median of a non-empty array of integers, from their counts."""
    low = int(values.min())
    cumulative = np.cumsum(np.bincount(values - low))
    n = int(cumulative[-1])
    below = np.searchsorted(cumulative, [(n - 1) // 2, n // 2], side="right")
    return float(below.mean()) + low


def signal_to_noise(grey: np.ndarray, mask: np.ndarray, polarity: str) -> float:
    """Particle contrast (median inside minus outside ``mask``) over the pixel noise.

    The noise is the robust spread of differences between horizontal neighbours, which the
    slowly varying substrate texture hardly affects.
    """
    if not mask.any() or mask.all():
        return 0.0
    noise = pixel_noise(grey, axes=(1,))
    contrast = float(np.median(grey[mask]) - np.median(grey[~mask]))
    contrast = -contrast if polarity == "dark" else contrast
    return contrast / max(float(noise), 1e-6)


#: Grey-level span (8-bit levels) under which an image holds nothing but a flat substrate.
FEATURELESS_SPAN = 2


def featureless(grey: np.ndarray) -> bool:
    """True when ``grey`` (8-bit) has no structure to segment: after a 3 x 3 median (which
    removes single-pixel noise, not particles of 3 px or more) it spans under
    :data:`FEATURELESS_SPAN` grey levels. Networks can see particles in a blank field."""
    if grey.size == 0:
        return True
    smooth = cv2.medianBlur(np.ascontiguousarray(grey, dtype=np.uint8), 3)
    return int(smooth.max()) - int(smooth.min()) < FEATURELESS_SPAN
