"""Faint images brought to the contrast a network learnt from: how much of the grey scale a
micrograph spans is the operator's setting, not a property of its particles."""

from __future__ import annotations

import numpy as np

#: Share (%) of the pixels left out at each end of an image's grey range (a few saturated or
#: dead pixels, or printed text, do not set it).
CLIP_PERCENT = 0.5
#: Least grey range (share of the full scale) an image is given: about the narrowest the shipped
#: network learnt from (5 % of its 353 EMPS training images span less than 129 of 255 levels).
MIN_RANGE = 0.5


def widen_contrast(
    image: np.ndarray,
    min_range: float = MIN_RANGE,
    clip: float = CLIP_PERCENT,
    where: np.ndarray | None = None,
) -> np.ndarray:
    """``image`` with its grey range (the ``clip`` to ``100 - clip`` percentiles) stretched
    about its middle to ``min_range`` of the full scale (its integer dtype's maximum, 1 for
    floats) where narrower, in the same dtype; ``image`` itself otherwise (a flat one, or a
    binary one, too). ``where`` (bool, the image's shape) limits the range to those pixels
    (e.g. leaving out the box under a scale bar); None or no pixel = all."""
    if image.dtype == bool:
        return image
    top = float(np.iinfo(image.dtype).max) if np.issubdtype(image.dtype, np.integer) else 1.0
    pixels = image[where] if where is not None and where.any() else image
    low, high = (float(v) / top for v in np.percentile(pixels, (clip, 100.0 - clip)))
    if high - low >= min_range or high <= low:
        return image
    middle = (low + high) / 2
    centre = min(max(middle, min_range / 2), 1 - min_range / 2)
    values = (image.astype(np.float32) / top - middle) * (min_range / (high - low)) + centre
    values = np.clip(values, 0.0, 1.0) * top
    return np.round(values).astype(image.dtype) if top != 1.0 else values.astype(image.dtype)
