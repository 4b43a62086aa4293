"""Images scaled by a factor, the way every part of nanokit scales them."""

from __future__ import annotations

import cv2
import numpy as np


def resize_by(image: np.ndarray, factor: float, min_side: int = 1) -> np.ndarray:
    """``image`` scaled by ``factor``, each side rounded to whole px and at least ``min_side``:
    area averaging to reduce (no aliasing), bilinear interpolation to enlarge. ``factor`` 1
    returns ``image`` itself."""
    if factor == 1.0:
        return image
    height, width = image.shape[:2]
    size = (max(min_side, round(width * factor)), max(min_side, round(height * factor)))
    smooth = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
    return cv2.resize(image, size, interpolation=smooth)
