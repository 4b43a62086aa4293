"""Finding an instrument data bar in the image itself, when calibration did not locate one."""

from __future__ import annotations

import numpy as np


def detect_databar(
    grey: np.ndarray, flat: float = 0.6, max_gap: int = 6, max_fraction: float = 0.35
) -> tuple[int, int] | None:
    """Inclusive rows ``(y0, y1)`` of a data bar along the bottom or top edge, or None.

    A data bar is text on a uniform fill, so most pixels of each of its rows share one grey
    value, unlike the noisy rows of a micrograph. From each edge inwards, rows whose most
    frequent value covers at least ``flat`` of the row belong to the bar; up to ``max_gap``
    busier rows (large text) are allowed inside it.

    Args:
        grey: (H, W) uint8 image.
        flat: share of a row that its most frequent value must cover.
        max_gap: consecutive busier rows tolerated inside the bar.
        max_fraction: a band taller than this share of H is not a data bar.
    """
    height = grey.shape[0]
    offsets = (np.arange(height, dtype=np.int64) * 256)[:, None]
    counts = np.bincount((grey.astype(np.int64) + offsets).ravel(), minlength=256 * height)
    uniform = counts.reshape(height, 256).max(1) >= flat * grey.shape[1]
    for order in (range(height - 1, -1, -1), range(height)):
        edge, gap = None, 0
        for y in order:
            if uniform[y]:
                edge, gap = y, 0
            else:
                gap += 1
                if gap > max_gap:
                    break
        if edge is None:
            continue
        band = (edge, height - 1) if order.step < 0 else (0, edge)
        if 0.01 * height <= band[1] - band[0] + 1 <= max_fraction * height:
            return band
    return None
