"""Pixel size from what the instrument wrote: TIFF tags (FEI/Thermo, Zeiss, Tescan), .txt
sidecars (Hitachi, JEOL) and microscope formats (Gatan, TIA, Velox, MRC); then from what
software wrote: OME-TIFF and ImageJ calibrations.
:func:`read_pixel_size` tries them all and checks the value against the image it describes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import NanokitError
from . import fei, hitachi, imagej, jeol, ome, tescan, zeiss
from .check import MetadataCheck

#: Microscope-format suffix -> vendor name in the record.
FORMAT_VENDORS = {
    ".dm3": "gatan",
    ".dm4": "gatan",
    ".ser": "tia",
    ".emi": "tia",
    ".emd": "velox",
    ".mrc": "mrc",
}


@dataclass(frozen=True)
class MetadataPixelSize:
    """A pixel size found in metadata.

    Attributes:
        nm_per_px: the pixel size that holds for the image (``check.nm_per_px``), nm.
        stored_nm_per_px: the value as written in the file, nm.
        vendor: ``fei``, ``zeiss``, ``tescan``, ``hitachi``, ``jeol``, ``gatan``, ``tia``,
            ``velox``, ``mrc``, ``ome`` or ``imagej``.
        check: the value checked against the image.
        databar_rows: rows of the vendor's data bar (y0, y1) when the metadata gives them.
    """

    stored_nm_per_px: float
    vendor: str
    check: MetadataCheck
    databar_rows: tuple[int, int] | None = None

    @property
    def nm_per_px(self) -> float:
        return self.check.nm_per_px


def read_pixel_size(
    path: str | Path, shape: tuple[int, ...] | None = None
) -> MetadataPixelSize | None:
    """The pixel size recorded by the instrument for ``path``, or None when there is none.

    Args:
        path: the image file.
        shape: (H, W, ...) of the pixels being calibrated; None: the file's stored image.

    Unreadable TIFFs and unknown tags give None (the caller falls back to the scale bar).

    Raises:
        NanokitError: a microscope-format file that cannot be read (rosettasciio missing,
            corrupt file) or has no spatial calibration; the message says which.
    """
    path = Path(path)
    if path.suffix.lower() in FORMAT_VENDORS:
        return _microscope(path)
    tags, stored = _tiff_tags(path)
    shape = shape or stored
    width = int(shape[1]) if shape is not None else None
    for vendor, reader in (("fei", fei), ("zeiss", zeiss), ("tescan", tescan)):
        value = reader.pixel_size_nm(tags)
        if value is None:
            continue
        checked = reader.check(tags, width) if width else MetadataCheck("unchecked", value)
        rows = None
        strip = tescan.databar_height(tags) if vendor == "tescan" else None
        if strip and shape is not None and 0 < strip < shape[0] and not checked.failed:
            rows = (shape[0] - strip, shape[0] - 1)
        return MetadataPixelSize(value, vendor, checked, rows)
    text = _sidecar(path)
    if text:
        value = hitachi.pixel_size_nm(text)
        if value is not None:
            return MetadataPixelSize(value, "hitachi", MetadataCheck("unchecked", value))
        found = jeol.pixel_size(text, width)
        if found is not None:
            return MetadataPixelSize(found[0], "jeol", found[1])
    for vendor, reader in (("ome", ome), ("imagej", imagej)):
        checked = reader.pixel_size(tags)
        if checked is not None:
            return MetadataPixelSize(checked.nm_per_px, vendor, checked)
    return None


def _microscope(path: Path) -> MetadataPixelSize:
    """The pixel size of a microscope-format file.

    Raises:
        NanokitError: the file cannot be read, or has no spatial calibration (its axes in
            pixels: never taken as 1 nm per px).
    """
    from ...io.microscope import read_microscope

    image = read_microscope(path)
    if image.nm_per_px is None:
        raise NanokitError(image.note)
    vendor = FORMAT_VENDORS[path.suffix.lower()]
    return MetadataPixelSize(image.nm_per_px, vendor, MetadataCheck("consistent", image.nm_per_px))


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
