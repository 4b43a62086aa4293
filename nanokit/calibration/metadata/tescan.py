"""Tescan SEM TIFFs: tag 50431, a text header with ``PixelSizeX=`` in metres (section [MAIN])."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

TAG = 50431
_PIXEL = re.compile(rb"PixelSizeX\s*=\s*([0-9.eE+-]+)")
_STRIP = re.compile(rb"ImageStripSize\s*=\s*([0-9]+)")


def _header(tags: Mapping[int, Any]) -> bytes:
    raw = tags.get(TAG)
    if isinstance(raw, str):
        return raw.encode("utf-8", "replace")
    return bytes(raw) if isinstance(raw, (bytes, bytearray)) else b""


def pixel_size_nm(tags: Mapping[int, Any]) -> float | None:
    """nm per px from the Tescan header's ``PixelSizeX`` (metres), or None."""
    match = _PIXEL.search(_header(tags))
    if match is None:
        return None
    try:
        value = float(match.group(1))
    except ValueError:
        return None
    return value * 1e9 if value > 0 else None


def databar_height(tags: Mapping[int, Any]) -> int | None:
    """Height in px of the Tescan info strip at the bottom (``ImageStripSize``), or None."""
    match = _STRIP.search(_header(tags))
    return int(match.group(1)) if match else None
