"""Zeiss SEM TIFFs: tag 34118 (CZ_SEM), ``ap_image_pixel_size`` = (label, value, unit)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TAG = 34118
_NM = {"pm": 1e-3, "nm": 1.0, "µm": 1e3, "μm": 1e3, "um": 1e3, "mm": 1e6, "m": 1e9}


def pixel_size_nm(tags: Mapping[int, Any]) -> float | None:
    """nm per px from the CZ_SEM ``ap_image_pixel_size`` entry, or None."""
    meta = tags.get(TAG)
    if not isinstance(meta, Mapping):
        return None
    entry = meta.get("ap_image_pixel_size") or meta.get("ap_pixel_size")
    if not isinstance(entry, (tuple, list)) or len(entry) < 3:
        return None
    value, unit = entry[1], str(entry[2]).strip()
    if not isinstance(value, (int, float)) or value <= 0 or unit not in _NM:
        return None
    return float(value) * _NM[unit]
