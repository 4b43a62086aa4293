"""FEI / Thermo Fisher SEM TIFFs: tag 34682 (FEI_HELIOS) or 34680 (FEI_SFEG), ``[Scan] PixelWidth``.

``[Image] ResolutionX`` is the width the tag was written for and ``[Scan] HorFieldsize`` (or
``[EScan]``) the scanned field, both checked against the image.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .check import MetadataCheck, check_field

#: TIFF tags holding the FEI metadata (tifffile parses both into a dict of sections).
TAGS = (34682, 34680)


def pixel_size_nm(tags: Mapping[int, Any]) -> float | None:
    """nm per px from the ``[Scan] PixelWidth`` (metres) of an FEI/Thermo TIFF, or None."""
    width = _value(_meta(tags), "Scan", "PixelWidth")
    return width * 1e9 if width else None


def check(tags: Mapping[int, Any], width: int) -> MetadataCheck:
    """The tag's pixel size checked against an image ``width`` px wide (ResolutionX, HFW)."""
    stored = pixel_size_nm(tags)
    assert stored is not None
    meta = _meta(tags)
    field = _value(meta, "Scan", "HorFieldsize") or _value(meta, "EScan", "HorFieldsize")
    written = _value(meta, "Image", "ResolutionX")
    return check_field(stored, field * 1e9 if field else None, width, int(written or 0) or None)


def _meta(tags: Mapping[int, Any]) -> Mapping[str, Any]:
    for code in TAGS:
        meta = tags.get(code)
        if isinstance(meta, Mapping):
            return meta
    return {}


def _value(meta: Mapping[str, Any], section: str, key: str) -> float | None:
    """A positive number from ``[section] key``, or None."""
    value = (meta.get(section) or {}).get(key)
    return float(value) if isinstance(value, (int, float)) and value > 0 else None
