"""Pixel size from vendor metadata: TIFF tags (FEI/Thermo, Zeiss, Tescan) and .txt sidecars
(Hitachi, JEOL). :func:`read_pixel_size` tries them all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import fei, hitachi, jeol, tescan, zeiss


@dataclass(frozen=True)
class MetadataPixelSize:
    """A pixel size found in metadata.

    Attributes:
        nm_per_px: the pixel size, nm.
        vendor: ``fei``, ``zeiss``, ``tescan``, ``hitachi`` or ``jeol``.
        databar_rows: rows of the vendor's data bar (y0, y1) when the metadata gives them.
    """

    nm_per_px: float
    vendor: str
    databar_rows: tuple[int, int] | None = None


def read_pixel_size(path: str | Path) -> MetadataPixelSize | None:
    """The pixel size recorded by the instrument for ``path``, or None when there is none.

    Unreadable files and unknown tags give None (the caller falls back to the scale bar).
    """
    path = Path(path)
    tags, shape = _tiff_tags(path)
    for vendor, reader in (("fei", fei), ("zeiss", zeiss), ("tescan", tescan)):
        value = reader.pixel_size_nm(tags)
        if value is not None:
            rows = None
            strip = tescan.databar_height(tags) if vendor == "tescan" else None
            if strip and shape is not None and 0 < strip < shape[0]:
                rows = (shape[0] - strip, shape[0] - 1)
            return MetadataPixelSize(value, vendor, rows)
    text = _sidecar(path)
    if text:
        value = hitachi.pixel_size_nm(text)
        if value is not None:
            return MetadataPixelSize(value, "hitachi")
        value = jeol.pixel_size_nm(text, shape[1] if shape is not None else None)
        if value is not None:
            return MetadataPixelSize(value, "jeol")
    return None


def _tiff_tags(path: Path) -> tuple[dict[int, Any], tuple[int, ...] | None]:
    """Tags of the first TIFF page (code -> value) and the image shape; empty for non-TIFFs."""
    if path.suffix.lower() not in (".tif", ".tiff") or not path.is_file():
        return {}, None
    import tifffile

    try:
        with tifffile.TiffFile(path) as tif:
            page = tif.pages[0]
            return {tag.code: tag.value for tag in page.tags.values()}, tuple(page.shape)
    except Exception:  # noqa: BLE001 - a corrupt TIFF simply has no usable metadata
        return {}, None


def _sidecar(path: Path) -> str:
    """Text of ``<name>.txt`` next to the image (Hitachi, JEOL), or ''."""
    for candidate in (path.with_suffix(".txt"), path.with_suffix(".TXT")):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8", errors="replace")
    return ""
