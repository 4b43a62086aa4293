"""Finding an instrument data bar in the image itself: a flat strip along the bottom or top."""

from __future__ import annotations

import numpy as np


def detect_databar(
    image: np.ndarray,
    flat: float = 0.6,
    max_gap: int = 6,
    max_fraction: float = 0.35,
    edges: tuple[str, ...] = ("bottom", "top"),
) -> tuple[int, int] | None:
    """Inclusive rows ``(y0, y1)`` of a data bar along the bottom or top edge, or None.

    A data bar is text on a uniform fill, so most pixels of each of its rows share one value,
    unlike the noisy rows of a micrograph. From an edge inwards, rows whose most frequent
    value covers at least ``flat`` of the row belong to the bar; up to ``max_gap`` busier rows
    (large text) are allowed inside it.

    Args:
        image: (H, W) or (H, W, C) image of any dtype (the first channel is used).
        flat: share of a row that its most frequent value must cover.
        max_gap: consecutive busier rows tolerated inside the bar.
        max_fraction: a band taller than this share of H (or under 1 % of H) is not a data bar.
        edges: the edges to search, in order: ``"bottom"`` and/or ``"top"``.
    """
    grey = image if image.ndim == 2 else image[..., 0]
    height = grey.shape[0]
    uniform = _row_mode_counts(grey) >= flat * grey.shape[1]
    orders = {"bottom": range(height - 1, -1, -1), "top": range(height)}
    for name in edges:
        edge, gap = None, 0
        for y in orders[name]:
            if uniform[y]:
                edge, gap = y, 0
            else:
                gap += 1
                if gap > max_gap:
                    break
        if edge is None:
            continue
        band = (edge, height - 1) if name == "bottom" else (0, edge)
        if 0.01 * height <= band[1] - band[0] + 1 <= max_fraction * height:
            return band
    return None


def _row_mode_counts(grey: np.ndarray) -> np.ndarray:
    """(H,) how many pixels of each row hold the row's most frequent value."""
    height, width = grey.shape
    if grey.dtype == np.uint8:
        offsets = (np.arange(height, dtype=np.int64) * 256)[:, None]
        counts = np.bincount((grey.astype(np.int64) + offsets).ravel(), minlength=256 * height)
        return counts.reshape(height, 256).max(1)
    # Any other dtype: the longest run of equal values in each sorted row.
    ordered = np.sort(grey, axis=1)
    starts = np.ones((height, width + 1), dtype=bool)
    starts[:, 1:width] = ordered[:, 1:] != ordered[:, :-1]
    flat_index = np.flatnonzero(starts)
    rows, cols = np.divmod(flat_index, width + 1)
    same_row = rows[1:] == rows[:-1]
    longest = np.zeros(height, dtype=np.int64)
    np.maximum.at(longest, rows[1:][same_row], np.diff(cols)[same_row])
    return longest
