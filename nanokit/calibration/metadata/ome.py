"""OME-TIFFs (Bio-Formats, QuPath, vendor converters): ``PhysicalSizeX`` of the first
``Pixels`` element of the OME-XML in the ImageDescription tag, in ``PhysicalSizeXUnit``
(µm when not given, as the OME schema says)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...io.microscope import square
from .check import MetadataCheck

DESCRIPTION = 270
_PIXELS = re.compile(r"<(?:\w+:)?Pixels\b[^>]*>")


def pixel_size(tags: Mapping[int, Any]) -> MetadataCheck | None:
    """The pixel size of an OME-TIFF (``unchecked``: OME records no field of view to check it
    with), or None: no OME-XML, no physical size, or pixels that are not square."""
    text = tags.get(DESCRIPTION)
    if not isinstance(text, str) or "<OME" not in text[:1000]:
        return None
    pixels = _PIXELS.search(text)
    if pixels is None:
        return None
    x, y = (_size_nm(pixels.group(0), axis) for axis in "XY")
    if x is None or (y is not None and not square(x, y)):
        return None
    return MetadataCheck("unchecked", x)


def _size_nm(element: str, axis: str) -> float | None:
    """``PhysicalSize<axis>`` of a ``Pixels`` start tag in nm, or None."""
    from ...ocr.units import unit_nm

    size = re.search(rf'\bPhysicalSize{axis}="([^"]+)"', element)
    unit = re.search(rf'\bPhysicalSize{axis}Unit="([^"]+)"', element)
    try:
        value = float(size.group(1)) if size else 0.0
    except ValueError:
        return None
    per_unit = unit_nm(unit.group(1) if unit else "µm")
    if value <= 0 or per_unit is None:
        return None
    return value * per_unit
