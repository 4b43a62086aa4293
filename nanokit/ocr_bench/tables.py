"""The ``nanokit bench-ocr`` tables: Markdown for the console, CSV per engine and per image."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields
from pathlib import Path

from .scoring import BenchRow, ImageResult

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
