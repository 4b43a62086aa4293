"""Touching particles: clumps split at their brightness peaks, cuts along dark valleys."""

from __future__ import annotations

import cv2
import numpy as np
from scipy import ndimage

from ..utils.morphology import h_maxima

#: Clumps are split at peaks that rise this share of the clump's contrast above their saddles.
PEAK_DYNAMIC = 0.1
#: Integer levels per unit of a clump's contrast for the h-maxima (uint16 reconstruction).
_LEVELS = 1000


def split_clumps(
    flat: np.ndarray,
    labels: np.ndarray,
    count: int,
    base: np.ndarray,
    scale: np.ndarray,
    min_area: float,
    dynamic: float = PEAK_DYNAMIC,
) -> tuple[np.ndarray, np.ndarray]:
    """Split labelled regions of ``min_area`` px or more into the basins of their peaks.

    A peak is a regional maximum of the region's height above its ``base``, in units of its
    ``scale``, that rises ``dynamic`` above the saddle to any brighter one (h-maxima);
    the region's pixels are flooded from the peaks (watershed). Flat tops, slopes and texture
    on a particle make no peak; a dimmer particle touching a brighter one does.

    Returns:
        (parts (H, W) int32 with 0 = background, (n_parts,) region label of each part).
    """
    from skimage.segmentation import watershed

    parts = labels.astype(np.int32)
    region_of = [np.arange(count)]
    n_parts = count
    areas = np.bincount(labels.ravel(), minlength=count)
    for region, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None or areas[region] < min_area:
            continue
        inside = labels[box] == region
        height = np.where(inside, (flat[box] - base[region]) / scale[region], 0)
        # Integer levels (1/_LEVELS of the scale): reconstruction of uint16 images is fast.
        levels = np.round(np.clip(height, 0, 60) * _LEVELS).astype(np.uint16)
        peaks = h_maxima(levels, round(dynamic * _LEVELS)) & inside
        n_peaks, markers = cv2.connectedComponents(peaks.astype(np.uint8), connectivity=8)
        if n_peaks <= 2:
            continue
        basins = watershed(-height, markers, mask=inside)
        parts[box][inside] = n_parts + basins[inside] - 1
        region_of.append(np.full(n_peaks - 1, region))
        n_parts += n_peaks - 1
    return parts, np.concatenate(region_of)


def separate_parts(mask: np.ndarray, parts: np.ndarray) -> np.ndarray:
    """``mask`` without the pixels that touch (8-neighbourhood) another part of a lower id:
    a 1-px cut between the parts of a split clump, which the sizer then keeps apart."""
    ids = np.where(mask, parts, 0)
    lowest = cv2.erode(
        np.where(ids > 0, ids, 1 << 24).astype(np.float32), np.ones((3, 3), np.uint8)
    )
    return mask & ~((ids > 0) & (lowest < ids))


def valleys(grey: np.ndarray, mask: np.ndarray, polarity: str, depth: float) -> np.ndarray:
    """Thin dark lines (black top-hat, 7 px) deeper than ``depth`` times the particle contrast."""
    if not mask.any() or mask.all():
        return np.zeros(mask.shape, dtype=bool)
    smooth = cv2.GaussianBlur(grey, (0, 0), 1.0)
    smooth = -smooth if polarity == "dark" else smooth
    contrast = float(np.median(smooth[mask]) - np.median(smooth[~mask]))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))
    return cv2.morphologyEx(smooth, cv2.MORPH_BLACKHAT, kernel) > depth * contrast
