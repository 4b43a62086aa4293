"""Zeiss SEM TIFFs: tag 34118 (CZ_SEM), ``ap_image_pixel_size`` = (label, value, unit).

The tag also holds the field of view (``ap_width``) and the store resolution
(``dp_image_store``, "1024 * 768"), which tell whether the pixels are still the stored ones: an
image saved smaller keeps its tags, so its pixel size is ``ap_width`` over its own width.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .check import MetadataCheck, check_field

TAG = 34118
_STORE = re.compile(r"(\d+)\s*\*\s*(\d+)")


def pixel_size_nm(tags: Mapping[int, Any]) -> float | None:
    """nm per px from the CZ_SEM ``ap_image_pixel_size`` entry, or None."""
    return _length_nm(tags, "ap_image_pixel_size") or _length_nm(tags, "ap_pixel_size")


def check(tags: Mapping[int, Any], width: int) -> MetadataCheck:
    """The tag's pixel size checked against an image ``width`` px wide.

    ``ap_width`` (the scanned field) over ``width`` must give the tag's pixel size; the store
    resolution, when present, names the width the tag was written for.
    """
    stored = pixel_size_nm(tags)
    assert stored is not None
    meta = tags[TAG]
    store = _STORE.search(str((meta.get("dp_image_store") or ("", ""))[1]))
    return check_field(
        stored, _length_nm(tags, "ap_width"), width, int(store.group(1)) if store else None
    )


def _length_nm(tags: Mapping[int, Any], key: str) -> float | None:
    """A (label, value, unit) entry of CZ_SEM in nm, or None."""
    from ...ocr.units import unit_nm

    meta = tags.get(TAG)
    if not isinstance(meta, Mapping):
        return None
    entry = meta.get(key)
    if not isinstance(entry, (tuple, list)) or len(entry) < 3:
        return None
    value, per_unit = entry[1], unit_nm(str(entry[2]))
    if not isinstance(value, (int, float)) or value <= 0 or per_unit is None:
        return None
    return float(value) * per_unit
