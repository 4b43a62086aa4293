"""Tescan SEM TIFFs: tag 50431, a text header with ``PixelSizeX=`` in metres (section [MAIN]).

The header records no field of view or written width, but ``Magnification`` refers to a fixed
display width: pixel size x width x magnification is :data:`DISPLAY_M` on the Tescan files we
have (AMBER, Essence 1.1; 0.4182 m on both, at magnifications 1125 and 68517).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .check import MetadataCheck, check_field

TAG = 50431
#: Display width that Tescan's magnification refers to, m.
DISPLAY_M = 0.4182
_PIXEL = re.compile(rb"PixelSizeX\s*=\s*([0-9.eE+-]+)")
_MAG = re.compile(rb"Magnification\s*=\s*([0-9.eE+-]+)")
_STRIP = re.compile(rb"ImageStripSize\s*=\s*([0-9]+)")


def _header(tags: Mapping[int, Any]) -> bytes:
    raw = tags.get(TAG)
    if isinstance(raw, str):
        return raw.encode("utf-8", "replace")
    return bytes(raw) if isinstance(raw, (bytes, bytearray)) else b""


def _number(pattern: re.Pattern[bytes], tags: Mapping[int, Any]) -> float | None:
    match = pattern.search(_header(tags))
    try:
        value = float(match.group(1)) if match else 0.0
    except ValueError:
        return None
    return value if value > 0 else None


def pixel_size_nm(tags: Mapping[int, Any]) -> float | None:
    """nm per px from the Tescan header's ``PixelSizeX`` (metres), or None."""
    value = _number(_PIXEL, tags)
    return value * 1e9 if value else None


def check(tags: Mapping[int, Any], width: int) -> MetadataCheck:
    """The header's pixel size checked against an image ``width`` px wide: the field implied
    by the magnification (:data:`DISPLAY_M` / magnification) over the width."""
    stored = pixel_size_nm(tags)
    assert stored is not None
    mag = _number(_MAG, tags)
    return check_field(stored, DISPLAY_M / mag * 1e9 if mag else None, width, None)


def databar_height(tags: Mapping[int, Any]) -> int | None:
    """Height in px of the Tescan info strip at the bottom (``ImageStripSize``), or None."""
    match = _STRIP.search(_header(tags))
    return int(match.group(1)) if match else None
