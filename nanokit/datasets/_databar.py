"""Finding the instrument data bar: a flat strip along the bottom of many SEM images."""

from __future__ import annotations

import numpy as np

from ..errors import NanokitError


def detect_databar(image: np.ndarray, flat: float = 0.6, max_gap: int = 6) -> int | None:
    """First row of a data bar at the bottom of ``image``, or None when there is none.

    A data bar is drawn on a uniform background, so most pixels of its rows share one value,
    unlike the noisy rows of a micrograph. Scanning upwards from the bottom, rows whose most
    frequent value covers at least ``flat`` of the row belong to the bar; up to ``max_gap``
    busier rows (large text) are tolerated inside it.

    Args:
        image: (H, W) or (H, W, C) image, any dtype.
        flat: fraction of a row that must hold its most frequent value.
        max_gap: busier rows allowed in a row inside the bar.

    Returns:
        The row index y0 (the bar is rows y0..H-1), or None when the band is missing or
        implausibly thin (< 1 % of H) or tall (> 35 % of H).
    """
    grey = image if image.ndim == 2 else image[..., 0]
    height = grey.shape[0]
    y0, gap = None, 0
    for y in range(height - 1, -1, -1):
        _, counts = np.unique(grey[y], return_counts=True)
        if counts.max() >= flat * grey.shape[1]:
            y0, gap = y, 0
        else:
            gap += 1
            if gap > max_gap:
                break
    if y0 is None or not 0.01 * height <= height - y0 <= 0.35 * height:
        return None
    return y0


def databar_start(image: np.ndarray, databar: str | int | None) -> int | None:
    """First data-bar row of ``image`` under the ``databar`` setting of a dataset.

    Args:
        image: the image as read, (H, W) or (H, W, C).
        databar: None (no bar), ``"detect"`` (:func:`detect_databar`) or an int, the number
            of bottom rows that the bar takes.
    """
    if databar is None:
        return None
    if databar == "detect":
        return detect_databar(image)
    if isinstance(databar, int) and not isinstance(databar, bool) and databar >= 0:
        return max(image.shape[0] - databar, 0) if databar else None
    raise NanokitError(
        f"databar must be None, 'detect' or a number of bottom rows, got {databar!r}"
    )
