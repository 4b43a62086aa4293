"""Hitachi SEM images: a ``<name>.txt`` sidecar with ``[SemImageFile]`` and ``PixelSize=`` (nm)."""

from __future__ import annotations

import re

_SECTION = re.compile(r"^\s*\[SemImageFile\]", re.MULTILINE)
_PIXEL = re.compile(r"^\s*PixelSize\s*=\s*([0-9.eE+-]+)", re.MULTILINE)


def pixel_size_nm(sidecar: str) -> float | None:
    """nm per px from the text of a Hitachi sidecar, or None when it is not one."""
    if not _SECTION.search(sidecar):
        return None
    match = _PIXEL.search(sidecar)
    if match is None:
        return None
    try:
        value = float(match.group(1))
    except ValueError:
        return None
    return value if value > 0 else None
