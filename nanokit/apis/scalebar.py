"""Calibrating images in SPEC's order: manual scale, vendor metadata, scale bar."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..calibration.calibrators import MetadataCalibrator
from ..calibration.manual import check_scale
from ..calibration.record import CalibrationRecord
from ..errors import NanokitError
from ..ocr.engines.base import BaseOCREngine

#: Relative difference between metadata and scale bar that is flagged.
DISAGREE = 0.02
#: QC flag for a disagreement between metadata and scale bar.
DISAGREE_FLAG = "metadata and bar disagree"
#: Scale-bar fields copied next to the metadata calibration.
_BAR_FIELDS = (
    "value",
    "unit",
    "value_nm",
    "bar_px",
    "text",
    "engine",
    "label_bbox",
    "bar_endpoints",
    "confidence",
    "bar_px_uncertainty",
)


def calibrate_image(
    path: str | Path,
    image: np.ndarray | None = None,
    *,
    scale: float | None = None,
    scalebar: str = "auto",
    engine: BaseOCREngine | str | None = None,
) -> CalibrationRecord:
    """The calibration record of one image, never raising for a bad image.

    Order (SPEC): ``scale`` (manual) > vendor metadata > scale bar. When metadata and scale bar
    both give a pixel size, both are kept (``metadata_nm_per_px``, ``scalebar_nm_per_px``), the
    metadata value is used and a difference over 2 % adds the flag ``metadata and bar disagree``.

    Args:
        path: the image file (metadata and sidecars are read from it; pixels too when
            ``image`` is None).
        image: the pixels, (H, W) or (H, W, 3) uint8, when already read.
        scale: nm per px given by the user.
        scalebar: ``auto`` to read the scale bar, ``off`` not to.
        engine: OCR engine or its name (None: ``nanokit.ocr.DEFAULT_ENGINE``).

    Returns:
        The record; ``ok=False`` with ``error`` when no source gives a pixel size.
    """
    if scalebar not in ("auto", "off"):
        raise NanokitError(f"scalebar must be 'auto' or 'off', got {scalebar!r}")
    path = Path(path)
    name = path.name
    if scale is not None:
        return CalibrationRecord(image=name, ok=True, nm_per_px=check_scale(scale), source="manual")
    meta = MetadataCalibrator().calibrate(path)
    if scalebar == "off":
        if not meta.ok:
            meta.error = f"{meta.error}; scale-bar reading is off"
        return meta
    grey, error = _pixels(path, image)
    if grey is None:
        if meta.ok:
            meta.flags.append(f"scale bar not read: {error}")
            return meta
        return CalibrationRecord(image=name, error=error)
    from ..scalebar.reader import read_scalebar

    bar = read_scalebar(grey, _engine(engine), name=name)
    if not meta.ok:
        if not bar.ok and not path.is_file():
            bar.error = f"{bar.error} (file not found, no metadata)"
        return bar
    return _combine(meta, bar)


def _combine(meta: CalibrationRecord, bar: CalibrationRecord) -> CalibrationRecord:
    """Metadata record with the scale-bar reading beside it and the disagreement flag."""
    for key in _BAR_FIELDS:
        setattr(meta, key, getattr(bar, key))
    meta.databar_rows = meta.databar_rows or bar.databar_rows
    if bar.ok and bar.nm_per_px is not None and meta.nm_per_px is not None:
        meta.scalebar_nm_per_px = bar.nm_per_px
        if abs(bar.nm_per_px / meta.nm_per_px - 1) > DISAGREE:
            meta.flags.append(DISAGREE_FLAG)
    return meta


def _pixels(path: Path, image: np.ndarray | None) -> tuple[np.ndarray | None, str]:
    """(H, W) uint8 grey from ``image`` or the file, else (None, why)."""
    from ..scalebar.reader import to_grey_uint8

    try:
        if image is None:
            from ..io.images import read_image

            return read_image(path).grey, ""
        return to_grey_uint8(image), ""
    except NanokitError as exc:
        return None, f"{path.name}: {exc}"


def _engine(engine: BaseOCREngine | str | None) -> BaseOCREngine:
    """``engine`` itself, or a new one built by name (callers with many images pass one in)."""
    if isinstance(engine, BaseOCREngine):
        return engine
    from ..ocr import build_engine

    return build_engine(engine)


def calibrate_paths(
    paths: tuple[str, ...] | list[str], engine: str | None = None, quiet: bool = False
) -> list[CalibrationRecord]:
    """:func:`calibrate_image` for files and folders (their images, sorted), one engine for all.

    A missing path gives a failed record, not an error; an unknown engine name raises
    :class:`NanokitError`.
    """
    from ..io.images import IMAGE_SUFFIXES
    from ..ocr import build_engine
    from ..utils.progress import progress

    files: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            files.extend(sorted(p for p in item.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES))
        else:
            files.append(item)
    ocr = build_engine(engine)
    return [calibrate_image(f, engine=ocr) for f in progress(files, "scale bars", quiet=quiet)]


def format_table(records: list[CalibrationRecord]) -> str:
    """A readable table: image, status, nm/px, source, label, bar length, error or flags."""
    header = (
        f"{'image':<40} {'ok':<3} {'nm/px':>10} {'source':<9} {'label':<12} {'bar px':>8}  notes"
    )
    lines = [header, "-" * len(header)]
    for r in records:
        label = f"{r.value:g} {r.unit}" if r.value is not None else ""
        nm = f"{r.nm_per_px:.4g}" if r.nm_per_px is not None else ""
        bar = f"{r.bar_px:.1f}" if r.bar_px is not None else ""
        notes = r.error or ", ".join(r.flags)
        lines.append(
            f"{r.image[:40]:<40} {'yes' if r.ok else 'no':<3} {nm:>10} {r.source:<9} "
            f"{label:<12} {bar:>8}  {notes}"
        )
    return "\n".join(lines)
