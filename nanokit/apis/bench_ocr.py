"""``nanokit bench-ocr``: every OCR engine over labelled scale-bar images, one table.

The benchmark itself is :mod:`nanokit.ocr_bench` (images and truth, scoring, tables).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import NanokitError
from ..ocr_bench.data import default_images, load_labelled
from ..ocr_bench.scoring import BenchRow, bench_ocr, engine_names
from ..ocr_bench.tables import write_outputs


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
    engine_names(engines)  # an unknown name is an error before any image is made
    images = load_labelled(data) if data else default_images(synthetic, quiet=quiet)
    if not images:
        raise NanokitError("no labelled images: pass --data DIR or --synthetic N")
    rows, results = bench_ocr(images, engines, quiet=quiet)
    return rows, write_outputs(rows, results, out)
