"""``nanokit bench-ocr``: every OCR engine over labelled scale-bar images, one table.

Each engine reads each image through the whole scale-bar reader
(:func:`nanokit.scalebar.reader.read_scalebar`), so the table measures what users get: the
label text, its value and unit, and the calibration (nm/px) from label and bar together.

Labelled images come from a folder in one of two layouts:

- real: ``truth.csv`` (columns ``image, value, unit, bar_px``, see shared/data/SOURCES.md) and
  ``images/``;
- synthetic (``nanokit synth``): ``truth/<id>.json`` and ``images/<id>.png``.

By default: the real images of the shared data folder (``$NANOKIT_SHARED/data/scalebars`` or
``../shared`` beside the repository) when present, plus synthetic images made in memory.
"""

from __future__ import annotations

import csv
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np

from ..errors import NanokitError
from ..ocr.engines.base import BaseOCREngine
from ..ocr.units import NM_PER_UNIT, compact_label
from ..scalebar.reading import ScalebarReading
from ..utils.progress import progress

#: A scale-bar reader: image -> reading (``read_scalebar``'s signature).
Reader = Callable[[np.ndarray, BaseOCREngine], ScalebarReading]

#: Relative nm/px error up to which a reading counts as right.
TOLERANCE = 0.01

#: The table's first rows, in this order; other registered engines follow by name.
ENGINE_ORDER = ("rapidocr", "paddleocr", "tesseract", "easyocr")


@dataclass(frozen=True)
class LabelledImage:
    """One benchmark image and its truth.

    Attributes:
        name: file name.
        source: ``real`` or ``synthetic``.
        text: the label as printed (``50.0um``; µ may be written ``u``).
        value: printed value.
        unit: one of ``pm, A, nm, um, mm``.
        nm_per_px: true calibration, value in nm / calibrated bar length in px.
        path: the image file (None for images made in memory).
        image: the pixels when made in memory, (H, W) uint8.
    """

    name: str
    source: str
    text: str
    value: float
    unit: str
    nm_per_px: float
    path: Path | None = None
    image: np.ndarray | None = None

    def load(self) -> np.ndarray:
        """(H, W) uint8 grey pixels."""
        if self.image is not None:
            return self.image
        from ..io.images import read_image

        assert self.path is not None
        return read_image(self.path).grey


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


def shared_scalebar_dir() -> Path | None:
    """``$NANOKIT_SHARED/data/scalebars``, else ``../shared/data/scalebars`` beside the repo."""
    repo = Path(__file__).resolve().parents[2]
    shared = Path(os.environ.get("NANOKIT_SHARED", repo.parent / "shared"))
    folder = shared / "data" / "scalebars"
    return folder if (folder / "truth.csv").is_file() else None


def load_labelled(folder: str | Path) -> list[LabelledImage]:
    """The labelled images of ``folder`` (real ``truth.csv`` layout or ``nanokit synth`` layout).

    Raises:
        NanokitError: neither layout, or a truth file that lacks a needed field.
    """
    folder = Path(folder)
    if (folder / "truth.csv").is_file():
        return _real_images(folder)
    if (folder / "truth").is_dir():
        return _synth_folder_images(folder)
    raise NanokitError(f"{folder}: no truth.csv or truth/ folder of labelled scale bars")


def _real_images(folder: Path) -> list[LabelledImage]:
    images = []
    with open(folder / "truth.csv", newline="") as f:
        for row in csv.DictReader(f):
            try:
                value, bar_px = float(row["value"]), float(row["bar_px"])
                nm = value * NM_PER_UNIT[row["unit"]]
            except (KeyError, ValueError) as exc:
                raise NanokitError(f"{folder / 'truth.csv'}: bad row {row.get('image')}") from exc
            images.append(
                LabelledImage(
                    name=row["image"],
                    source="real",
                    text=f"{row['value']}{row['unit']}",
                    value=value,
                    unit=row["unit"],
                    nm_per_px=nm / bar_px,
                    path=folder / "images" / row["image"],
                )
            )
    return images


def _synth_folder_images(folder: Path) -> list[LabelledImage]:
    images = []
    for path in sorted((folder / "truth").glob("*.json")):
        truth = json.loads(path.read_text())
        images.append(_from_synth_truth(truth, folder / "images" / truth["image"], None))
    return images


def _from_synth_truth(truth: dict, path: Path | None, image: np.ndarray | None) -> LabelledImage:
    bar = truth.get("scalebar")
    if not bar:
        raise NanokitError(f"synthetic truth of {truth.get('image')} has no scale bar")
    return LabelledImage(
        name=truth["image"],
        source="synthetic",
        text=bar["text"],
        value=float(bar["value"]),
        unit=bar["unit"],
        nm_per_px=float(bar["value_nm"]) / float(bar["bar_px"]),
        path=path,
        image=image,
    )


def synthetic_images(n: int, seed: int = 1000, quiet: bool = False) -> list[LabelledImage]:
    """``n`` synthetic images made in memory with ``nanokit.synth.make_sample``.

    Seeds ``seed .. seed + n - 1``; the default 1000 keeps them apart from development seeds.
    """
    from ..synth import make_sample

    images = []
    for s in progress(range(seed, seed + n), desc="synthetic images", total=n, quiet=quiet):
        image, _, truth = make_sample(s)
        images.append(_from_synth_truth(truth, None, image))
    return images


def default_images(n_synthetic: int, seed: int = 1000, quiet: bool = False) -> list[LabelledImage]:
    """The shared real scale-bar images (when present) plus ``n_synthetic`` synthetic ones."""
    real = shared_scalebar_dir()
    images = load_labelled(real) if real else []
    return images + (synthetic_images(n_synthetic, seed, quiet) if n_synthetic else [])


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


def run_bench(
    engines: Sequence[str] | None = None,
    data: str | Path | None = None,
    synthetic: int = 20,
    out: str | Path = "work_dirs/bench_ocr",
    quiet: bool = False,
) -> tuple[list[BenchRow], Path]:
    """``nanokit bench-ocr``: images from ``data`` (or the defaults), every engine, tables in ``out``.

    Args:
        engines: engine names; None = all registered.
        data: a labelled folder; None = shared real images plus ``synthetic`` synthetic ones.
        synthetic: number of synthetic images when ``data`` is None.
        out: output folder for ``bench_ocr.csv``, ``bench_ocr.md``, ``bench_ocr_images.csv``.
        quiet: no progress bars.

    Raises:
        NanokitError: no labelled images, unknown engine, bad truth files.
    """
    images = load_labelled(data) if data else default_images(synthetic, quiet=quiet)
    if not images:
        raise NanokitError("no labelled images: pass --data DIR or --synthetic N")
    rows, results = bench_ocr(images, engines, quiet=quiet)
    return rows, write_outputs(rows, results, out)


#: Markdown/console headers for the BenchRow fields.
HEADERS = {
    "engine": "engine",
    "data": "data",
    "images": "images",
    "exact_text_pct": "exact text %",
    "value_unit_pct": "value+unit %",
    "nm_per_px_1pct": "nm/px within 1 %",
    "ms_per_image": "ms/image",
    "failures": "failures",
    "silently_wrong": "silently wrong",
    "load_s": "load s",
    "status": "status",
}


def markdown_table(rows: Sequence[BenchRow]) -> str:
    """The rows as a Markdown table (empty cells for engines that did not run)."""
    lines = ["| " + " | ".join(HEADERS.values()) + " |", "|" + "---|" * len(HEADERS)]
    for row in rows:
        cells = ["" if v is None else str(v) for v in asdict(row).values()]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_outputs(
    rows: Sequence[BenchRow], results: Sequence[ImageResult], out: str | Path
) -> Path:
    """``bench_ocr.csv``, ``bench_ocr.md`` and ``bench_ocr_images.csv`` in ``out``; returns it."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _write_csv(out / "bench_ocr.csv", [f.name for f in fields(BenchRow)], map(asdict, rows))
    _write_csv(
        out / "bench_ocr_images.csv", [f.name for f in fields(ImageResult)], map(asdict, results)
    )
    (out / "bench_ocr.md").write_text(markdown_table(rows) + "\n")
    return out


def _write_csv(path: Path, columns: list[str], records: Iterable[dict]) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(records)
