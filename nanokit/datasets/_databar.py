"""The data bar of dataset images: a flat strip along the bottom of many SEM images."""

from __future__ import annotations

import numpy as np

from ..calibration.databar import find_databar
from ..errors import NanokitError


def detect_databar(image: np.ndarray) -> int | None:
    """First row of a data bar at the bottom of ``image`` (any dtype), or None.

    The bar is rows y0..H-1; see :func:`nanokit.calibration.databar.find_databar`.
    """
    band = find_databar(image, edges=("bottom",))
    return None if band is None else band[0]


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
