"""TIFFs calibrated in ImageJ / Fiji (Analyze > Set Scale, then saved as TIFF).

ImageJ writes ``unit=nm`` (or ``micron``, ``\\u00B5m``, ...) in the ImageDescription tag, which
starts with ``ImageJ=``, and the pixels per unit in XResolution / YResolution. The scale was
set by a user, often by drawing a line over the scale bar by hand, and ImageJ's "global"
scale is applied to every image opened after it: so it is marked ``user-set``, and a scale
bar read with certainty that disagrees with it wins (:mod:`~nanokit.calibration.crosscheck`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...io.microscope import square
from .check import MetadataCheck

DESCRIPTION, X_RESOLUTION, Y_RESOLUTION = 270, 282, 283
#: Why the value is marked ``user-set``.
NOTE = "scale set in ImageJ, not recorded by the instrument"
#: ImageJ's spellings of length units that :func:`~nanokit.ocr.units.unit_nm` does not know.
_SPELLINGS = {"micron": "um", "microns": "um", "\\u00b5m": "um", "nanometer": "nm"}
_UNIT = re.compile(r"^unit=(.+)$", re.MULTILINE)


def pixel_size(tags: Mapping[int, Any]) -> MetadataCheck | None:
    """The pixel size ImageJ wrote (``user-set``), or None: no ImageJ description, no length
    unit (``pixel``, ``inch``: not a calibration), or pixels that are not square."""
    from ...ocr.units import unit_nm

    text = tags.get(DESCRIPTION)
    if not isinstance(text, str) or not text.startswith("ImageJ="):
        return None
    unit = _UNIT.search(text)
    if unit is None:
        return None
    name = unit.group(1).strip()
    per_unit = unit_nm(_SPELLINGS.get(name.lower(), name))
    x, y = (_per_unit(tags.get(code)) for code in (X_RESOLUTION, Y_RESOLUTION))
    if per_unit is None or x is None or (y is not None and not square(y, x)):
        return None
    return MetadataCheck("user-set", per_unit / x, NOTE)


def _per_unit(resolution: Any) -> float | None:
    """Pixels per unit from a TIFF rational (numerator, denominator), or None."""
    if not isinstance(resolution, tuple) or len(resolution) != 2:
        return None
    numerator, denominator = resolution
    if not numerator or not denominator:
        return None
    return float(numerator) / float(denominator)
