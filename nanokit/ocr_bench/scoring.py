"""Every OCR engine over labelled images through the whole scale-bar reader, scored.

Each engine reads each image through :func:`nanokit.scalebar.reader.read_scalebar`, so the
scores are what users get: the label text, its value and unit, and the calibration (nm/px) from
label and bar together.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import NanokitError
from ..ocr.engines.base import BaseOCREngine
from ..ocr.units import compact_label
from ..scalebar.reading import ScalebarReading
from ..utils.progress import progress
from .data import LabelledImage

#: A scale-bar reader: image -> reading (``read_scalebar``'s signature).
Reader = Callable[[np.ndarray, BaseOCREngine], ScalebarReading]

#: Relative nm/px error up to which a reading counts as right.
TOLERANCE = 0.01

#: The table's first rows, in this order; other registered engines follow by name.
ENGINE_ORDER = ("rapidocr", "paddleocr", "tesseract", "easyocr")


@dataclass
class BenchRow:
    """One engine on one data set: the columns of the table (percentages in %)."""

    engine: str
    data: str
    images: int = 0
    exact_text_pct: float | None = None
    value_unit_pct: float | None = None
    nm_per_px_1pct: float | None = None
    ms_per_image: float | None = None
    failures: int | None = None
    silently_wrong: int | None = None
    load_s: float | None = None
    status: str = "ok"


@dataclass
class ImageResult:
    """One engine on one image (the per-image CSV)."""

    engine: str
    image: str
    data: str
    truth_text: str
    truth_nm_per_px: float
    text: str
    value: float | None
    unit: str | None
    nm_per_px: float | None
    ok: bool
    error: str
    exact_text: bool
    value_unit: bool
    within_1pct: bool
    ms: float


def engine_names(names: Sequence[str] | None = None) -> list[str]:
    """Registered type names for ``names`` (short or type names); None = every registered one,
    :data:`ENGINE_ORDER` first.

    Raises:
        NanokitError: a name that no engine has.
    """
    from ..ocr import engine_type
    from ..registry import OCR_ENGINES

    if not names:
        OCR_ENGINES.import_from_location()
        first = [engine_type(n) for n in ENGINE_ORDER]
        return [t for t in first if t in OCR_ENGINES.module_dict] + sorted(
            set(OCR_ENGINES.module_dict) - set(first)
        )
    resolved = [engine_type(n) for n in names]
    unknown = [n for n, t in zip(names, resolved, strict=True) if t not in OCR_ENGINES.module_dict]
    if unknown:
        known = ", ".join(OCR_ENGINES.module_dict[t].name or t for t in OCR_ENGINES.module_dict)
        raise NanokitError(f"unknown OCR engine(s) {', '.join(unknown)}; known: {known}")
    return resolved


def bench_ocr(
    images: Sequence[LabelledImage],
    engines: Sequence[str] | None = None,
    reader: Reader | None = None,
    quiet: bool = False,
) -> tuple[list[BenchRow], list[ImageResult]]:
    """Run every engine over ``images``; one row per engine and data set (``real``, ...).

    Engines whose library (or model files) are missing give a row with that status, not an
    error. Each engine is closed (its worker process stopped) once it has read every image.

    Args:
        images: labelled images.
        engines: engine names (short or registered); None = all registered engines.
        reader: image, engine -> reading; None = ``nanokit.scalebar.reader.read_scalebar``.
        quiet: no progress bars.

    Returns:
        The table rows and the per-image results.
    """
    from ..ocr import build_engine

    if reader is None:
        from ..scalebar.reader import read_scalebar as reader
    sources = list(dict.fromkeys(im.source for im in images))
    rows: list[BenchRow] = []
    results: list[ImageResult] = []
    for type_name in engine_names(engines):
        engine = build_engine(type_name)
        name = engine.name or type_name
        status, load_s = _warm_up(engine)
        if status != "ok":
            rows.extend(BenchRow(name, src, status=status) for src in sources)
            continue
        try:
            done = list(_read_all(engine, name, images, reader, quiet))
        finally:
            engine.close()
        results.extend(done)
        rows.extend(_row(name, src, [r for r in done if r.data == src], load_s) for src in sources)
    return rows, results


def _warm_up(engine: BaseOCREngine) -> tuple[str, float | None]:
    """Load the engine with one read (an out-of-process engine starts its worker);
    ("ok", seconds) or (why it is unavailable, None)."""
    if not engine.is_available():
        return f"not installed ({engine.install_hint()})", None
    start = time.perf_counter()
    try:
        engine.read(np.full((32, 96), 255, np.uint8))
    except NanokitError as exc:
        return f"not installed: {exc}", None
    return "ok", time.perf_counter() - start


def _read_all(
    engine: BaseOCREngine,
    name: str,
    images: Sequence[LabelledImage],
    reader: Reader,
    quiet: bool,
) -> Iterator[ImageResult]:
    for im in progress(images, desc=f"bench-ocr {name}", total=len(images), quiet=quiet):
        start = time.perf_counter()
        try:
            rec = reader(im.load(), engine)
        except Exception as exc:  # noqa: BLE001 - a crash is a failure of this image, not of the run
            rec = ScalebarReading(image=im.name, error=f"{type(exc).__name__}: {exc}")
        ms = 1000 * (time.perf_counter() - start)
        value_unit = (
            rec.value is not None
            and rec.unit == im.unit
            and bool(np.isclose(rec.value, im.value, rtol=1e-6))
        )
        within = bool(
            rec.ok
            and rec.nm_per_px is not None
            and abs(rec.nm_per_px / im.nm_per_px - 1) <= TOLERANCE
        )
        yield ImageResult(
            engine=name,
            image=im.name,
            data=im.source,
            truth_text=im.text,
            truth_nm_per_px=im.nm_per_px,
            text=rec.text,
            value=rec.value,
            unit=rec.unit,
            nm_per_px=rec.nm_per_px,
            ok=rec.ok,
            error=rec.error,
            exact_text=bool(rec.text) and compact_label(rec.text) == compact_label(im.text),
            value_unit=value_unit,
            within_1pct=within,
            ms=ms,
        )


def _row(engine: str, data: str, done: list[ImageResult], load_s: float | None) -> BenchRow:
    n = len(done)

    def pct(flags: list[bool]) -> float:
        return round(100 * sum(flags) / n, 1)

    return BenchRow(
        engine=engine,
        data=data,
        images=n,
        exact_text_pct=pct([r.exact_text for r in done]),
        value_unit_pct=pct([r.value_unit for r in done]),
        nm_per_px_1pct=pct([r.within_1pct for r in done]),
        ms_per_image=round(float(np.mean([r.ms for r in done])), 1),
        failures=sum(not r.ok for r in done),
        silently_wrong=sum(r.ok and not r.within_1pct for r in done),
        load_s=None if load_s is None else round(load_s, 2),
    )
