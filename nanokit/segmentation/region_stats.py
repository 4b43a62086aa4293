"""Statistics of pixel values per labelled region."""

from __future__ import annotations

import numpy as np


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
