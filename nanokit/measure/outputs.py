"""The files of ``nanokit measure --out D``: CSV columns, appending rows, resuming a run."""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from .result import ImageResult
from .run_folder import (
    MANIFEST,
    RunFolder,
    append_manifest,
    image_record,
    read_manifest,
    write_manifest,
)

#: Columns of images.csv: SPEC's, then the segmenter's own certainty (networks that give one)
#: and the uncertainty of ``nm_per_px`` (nm/px, where the scale bar gave it).
IMAGE_COLUMNS = (
    "image",
    "width",
    "height",
    "nm_per_px",
    "calibration_source",
    "scalebar_value",
    "scalebar_unit",
    "scalebar_bar_px",
    "ocr_text",
    "n_particles",
    "mean_d_nm",
    "std_d_nm",
    "d10_nm",
    "d50_nm",
    "d90_nm",
    "status",
    "qc_flags",
    "seg_confidence",
    "split_sensitivity",
    "nm_per_px_uncertainty",
)
#: Columns of particles.csv, as SPEC lists them.
PARTICLE_COLUMNS = (
    "image",
    "particle_id",
    "cx_px",
    "cy_px",
    "area_px",
    "ecd_px",
    "ecd_nm",
    "feret_max_nm",
    "feret_min_nm",
    "aspect_ratio",
    "circularity",
    "touches_border",
)
#: Folder of per-image done-markers; an image with a marker is skipped by a re-run.
DONE_DIR = "done"


def _cell(value: Any) -> str:
    """CSV text of a value: empty for None/NaN, 6 significant digits for floats."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


class RunFiles:
    """images.csv, particles.csv, the manifest and the done-markers of one output folder.

    Rows are appended as each image finishes and flushed to disk before its marker is
    written, so a killed run loses at most the image in progress. On opening, rows of images
    without a marker (an interrupted or failed image) are dropped, so they can be redone.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.images_csv = out / "images.csv"
        self.particles_csv = out / "particles.csv"
        self.done_dir = out / DONE_DIR
        self.done_dir.mkdir(parents=True, exist_ok=True)
        done = self.done_keys()
        self._rewrite(self.images_csv, IMAGE_COLUMNS, lambda row: row["image"] in done)
        self._rewrite(self.particles_csv, PARTICLE_COLUMNS, lambda row: row["image"] in done)
        records = read_manifest(out)
        kept = [r for r in records.values() if r.image in done]
        if len(kept) != len(records) or not (out / MANIFEST).exists():
            write_manifest(out, kept)

    def marker(self, image: str) -> Path:
        """Done-marker file of an image (by its ``image`` column value)."""
        return self.done_dir / (image.replace("/", "__") + ".done")

    def done_keys(self) -> set[str]:
        """``image`` values of the finished images."""
        return {p.read_text(encoding="utf-8").strip() for p in self.done_dir.glob("*.done")}

    def append(self, result: ImageResult) -> None:
        """Append one image's rows and manifest record, flush them to disk, then mark the image
        done if it ``finished``."""
        _append(self.particles_csv, PARTICLE_COLUMNS, result.particles)
        _append(self.images_csv, IMAGE_COLUMNS, [result.row])
        record = image_record(
            self.out,
            result.image,
            result.key,
            result.source,
            result.row,
            written=result.finished,
            stats=result.stats,
        )
        append_manifest(self.out, record)
        if result.finished:
            self.marker(result.image).write_text(result.image, encoding="utf-8")

    @staticmethod
    def _rewrite(path: Path, columns: tuple[str, ...], keep: Any) -> None:
        """Drop rows not kept (atomic replace); create the file with its header if missing, and
        give it ``columns`` where it has others (a run of an older nanokit resumed)."""
        if not path.exists():
            _append(path, columns, [])
            return
        rows = read_rows(path)
        kept = [row for row in rows if keep(row)]
        if len(kept) != len(rows) or _header(path) != list(columns):
            write_rows(path, columns, kept)


def _header(path: Path) -> list[str]:
    """The column names in the first line of a CSV file."""
    with path.open(newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh), [])


def write_rows(path: Path, columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> None:
    """Replace a CSV file with ``rows`` (atomically)."""
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
    os.replace(tmp, path)


def _append(path: Path, columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> None:
    """Append rows (writing the header to a new file), flushed and synced."""
    new = not path.exists() or path.stat().st_size == 0
    with path.open("a", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        if new:
            writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        fh.flush()
        os.fsync(fh.fileno())


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file as dicts of strings (empty list when the file is missing)."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def measured_diameters(run: RunFolder, exclude_border: bool = True) -> dict[str, np.ndarray]:
    """Each image's particle diameters from particles.csv: ``ecd_nm`` for a calibrated image,
    ``ecd_px`` otherwise; without the particles cut by the border when ``exclude_border``."""
    units = {record.image: record.unit for record in run.images}
    sizes: dict[str, list[float]] = {}
    for p in read_rows(run.particles_csv):
        if p["image"] not in units or (exclude_border and p["touches_border"] == "true"):
            continue
        column = "ecd_nm" if units[p["image"]] == "nm" else "ecd_px"
        sizes.setdefault(p["image"], []).append(float(p[column]))
    return {image: np.array(values, dtype=np.float64) for image, values in sizes.items()}
