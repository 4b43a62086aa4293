"""JEOL SEM images: a ``<name>.txt`` sidecar with ``$$SM_MICRON_BAR`` (bar length in px) and
``$$SM_MICRON_MARKER`` (its label, e.g. ``1um``); ``$CM_FULL_SIZE`` is the image size they refer to."""

from __future__ import annotations

import re

from .check import MetadataCheck, check_field

_BAR = re.compile(r"^\s*\$\$SM_MICRON_BAR\s+([0-9.]+)", re.MULTILINE)
_MARKER = re.compile(r"^\s*\$\$SM_MICRON_MARKER\s+(\S+)", re.MULTILINE)
_FULL = re.compile(r"^\s*\$CM_FULL_SIZE\s+([0-9]+)\s+([0-9]+)", re.MULTILINE)


def pixel_size(sidecar: str, image_width: int | None = None) -> tuple[float, MetadataCheck] | None:
    """(nm per px as written, checked against the image) from a JEOL sidecar, or None.

    Args:
        sidecar: the sidecar's text.
        image_width: width of the image, px; when it differs from ``$CM_FULL_SIZE`` the
            marker length is rescaled to the image's pixels.
    """
    from ...ocr.units import parse_scale_label

    bar, marker = _BAR.search(sidecar), _MARKER.search(sidecar)
    if bar is None or marker is None:
        return None
    label = parse_scale_label(marker.group(1), reads_micro=True)
    bar_px = float(bar.group(1))
    if label is None or bar_px <= 0:
        return None
    stored = label.value_nm / bar_px
    full = _FULL.search(sidecar)
    written = int(full.group(1)) if full else None
    if not image_width:
        return stored, MetadataCheck("unchecked", stored)
    field = stored * written if written else None
    return stored, check_field(stored, field, image_width, written)
