"""Statistics of pixel values per labelled region, and the substrate around each region."""

from __future__ import annotations

import cv2
import numpy as np


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """Median of ``values`` with each weighted by ``weights``."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order].astype(np.float64))
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def nearest_region(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distance, owner) of every pixel: its distance (px) to the nearest pixel of a region
    (label > 0; 0 inside regions) and that region's label.

    The rings of substrate around regions, from which the background next to each region is
    measured, are bands of ``distance``; ``owner`` says whose ring a pixel is in. Distances are
    OpenCV's 5x5 approximation of the Euclidean one (exact along rows and columns, off by up to
    about 2 % elsewhere): several times faster than exact ones, and within the few px that the
    rings and the edge refinement's band reach, the same pixels but for a few at their edges.

    Args:
        labels: (H, W) int region labels, 0 = substrate.
    """
    inside = labels > 0
    distance, nearest = cv2.distanceTransformWithLabels(
        (~inside).astype(np.uint8), cv2.DIST_L2, 5, labelType=cv2.DIST_LABEL_PIXEL
    )
    # The transform numbers every region pixel itself: map its ids onto ``labels``.
    lut = np.zeros(int(nearest.max()) + 1, dtype=np.int32)
    lut[nearest[inside]] = labels[inside]
    return distance, lut[nearest]


def label_quantile(values: np.ndarray, labels: np.ndarray, count: int, q: float) -> np.ndarray:
    """(count,) float32 ``q``-quantile of ``values`` per label 0..count-1 (NaN where none)."""
    out = np.full(count, np.nan, dtype=np.float32)
    if values.size == 0:
        return out
    # One sort of label + value scaled into [0, 0.5): grouped by label, ascending inside.
    low = float(values.min())
    scale = 0.5 / max(float(values.max()) - low, 1e-6)
    keys = np.sort(labels + (values.astype(np.float64) - low) * scale)
    ordered_labels = np.floor(keys).astype(np.int64)
    ids = np.arange(count)
    starts = np.searchsorted(ordered_labels, ids)
    sizes = np.searchsorted(ordered_labels, ids, side="right") - starts
    has = sizes > 0
    picked = keys[starts[has] + np.floor(q * (sizes[has] - 1)).astype(np.int64)]
    out[has] = (picked - np.floor(picked)) / scale + low
    return out


def label_mean(values: np.ndarray, labels: np.ndarray, count: int) -> np.ndarray:
    """(count,) mean of ``values`` per label 0..count-1 (NaN for label 0 and where none)."""
    flat = labels.ravel()
    sums = np.bincount(flat, weights=values.ravel(), minlength=count)
    pixels = np.bincount(flat, minlength=count)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / pixels
    means[0] = np.nan
    return means
