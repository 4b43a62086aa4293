"""Locating the instrument data bar: the flat strip of text and bar along the image bottom."""

from __future__ import annotations

import numpy as np

#: A data-bar row has at least this fraction of its pixels within :data:`FLAT_TOL` of its median.
FLAT_FRACTION = 0.5
#: Grey-level tolerance for "flat", grey levels.
FLAT_TOL = 2
#: Busier rows (big text, boxes) tolerated inside the strip.
MAX_GAP = 16


def find_databar(grey: np.ndarray) -> tuple[int, int] | None:
    """Rows (y0, y1) of the data bar at the bottom of ``grey``, or None when there is none.

    The paper locates a white stripe by contour detection; instrument strips are black, white or
    grey, so rows are tested directly: scanning up from the bottom, a strip row has most of its
    pixels at one level (the strip's background), unlike the rows of a micrograph.

    Args:
        grey: (H, W) uint8 image.

    Returns:
        Inclusive rows, or None when the flat band is missing, thinner than 1.5 % of H or
        taller than 35 % of H.
    """
    height = grey.shape[0]
    med = np.median(grey, axis=1, keepdims=True)
    flat = (np.abs(grey.astype(np.int16) - med) <= FLAT_TOL).mean(axis=1) >= FLAT_FRACTION
    # trailing rows of a cropped figure may be busy; the strip may also not reach the bottom
    y0 = None
    gap = 0
    for y in range(height - 1, int(0.6 * height), -1):
        if flat[y]:
            y0, gap = y, 0
        else:
            gap += 1
            if gap > MAX_GAP:
                break
    if y0 is None:
        return None
    y1 = max(y for y in range(y0, height) if flat[y])
    if not 0.015 * height <= y1 - y0 + 1 <= 0.35 * height:
        return None
    # a flat strip must also look unlike the image right above it
    above = grey[max(0, y0 - 12) : y0 - 2]
    if above.size and abs(float(np.median(above)) - float(med[y0 + 1, 0])) < 20:
        return None
    return y0, y1
