"""``read_scalebar``: one image array in, one scale-bar reading out, never an exception."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import NanokitError
from ..ocr.engines.base import BaseOCREngine
from ..sizing.frame import Frame, find_frame
from .detectors.base import BaseScalebarDetector
from .reading import ScalebarReading
from .working_scale import at_full_size, reduced, reduction

#: Shortest side (px) of an image read for a scale bar.
MIN_SIDE = 32


def read_scalebar(
    image: np.ndarray,
    engine: BaseOCREngine,
    detector: BaseScalebarDetector | dict[str, Any] | None = None,
    name: str = "",
) -> ScalebarReading:
    """Read the scale bar of ``image``: value, unit, bar length in px and nm per px.

    Args:
        image: (H, W) uint8 grey or (H, W, 3) uint8 RGB.
        engine: OCR engine for the label crops.
        detector: a detector or its config (default ``PaperScalebarDetector``).
        name: image name stored in the reading.

    Returns:
        The reading, in ``image``'s pixels (an image with a uniform margin is read inside it,
        :func:`~nanokit.sizing.frame.find_frame`; a large image is read reduced:
        :mod:`~nanokit.scalebar.working_scale`). A bad image, a missing or unreadable bar or
        label gives ``ok=False`` with the reason in ``error``; nothing is raised for bad
        input, nor for a detector or OCR engine that fails on one image (its exception is the
        error).
    """
    reading = ScalebarReading(image=name)
    try:
        grey = to_grey_uint8(image)
    except NanokitError as exc:
        reading.error = str(exc)
        return reading
    try:
        # a micrograph cut from a figure is read inside its border (the border would pass for
        # the data bar, and the image's width sets the plausible field of view)
        margins = find_frame(grey)
        if min(margins.shape) < MIN_SIDE:
            margins = Frame(0, grey.shape[0], 0, grey.shape[1])
        factor = reduction(margins.shape)
        # cut on the reduction's block grid: the blocks averaged are the uncut image's
        top, left = margins.top - margins.top % factor, margins.left - margins.left % factor
        inner = grey[top : margins.bottom, left : margins.right]
        found = _build_detector(detector).detect(reduced(inner, factor), engine, name)
        return at_full_size(found, factor, inner.shape[0]).moved(left, top)
    except NanokitError as exc:
        reading.error = str(exc)
    except Exception as exc:  # noqa: BLE001 - one image's failure must not stop a run of many
        reading.error = f"scale-bar reader failed ({type(exc).__name__}: {exc})"
    return reading


def to_grey_uint8(image: np.ndarray) -> np.ndarray:
    """(H, W) uint8 grey from a (H, W) or (H, W, 3) uint8 array.

    Raises:
        NanokitError: any other dtype or shape (16-bit, RGBA, empty, tiny).
    """
    if not isinstance(image, np.ndarray):
        raise NanokitError(f"expected a numpy image, got {type(image).__name__}")
    if image.dtype != np.uint8:
        raise NanokitError(f"expected an 8-bit image, got {image.dtype} (convert it first)")
    if image.ndim == 3 and image.shape[2] == 3:
        from ..io.images import colour_to_grey

        image = colour_to_grey(image)[0]
    if image.ndim != 2:
        raise NanokitError(f"expected (H, W) grey or (H, W, 3) RGB, got shape {image.shape}")
    if min(image.shape) < MIN_SIDE:
        raise NanokitError(f"image too small for a scale bar: {image.shape[1]}x{image.shape[0]}")
    return np.ascontiguousarray(image)


def _build_detector(detector: BaseScalebarDetector | dict[str, Any] | None) -> BaseScalebarDetector:
    if isinstance(detector, BaseScalebarDetector):
        return detector
    from ..registry import SCALEBAR_DETECTORS, build

    return build(SCALEBAR_DETECTORS, detector or {"type": "PaperScalebarDetector"})
