"""``results.xlsx``: a measure run's tables, calibration and statistics as one Excel workbook."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ..errors import NanokitError
from ..measure.outputs import IMAGE_COLUMNS, PARTICLE_COLUMNS, read_rows
from ..measure.run_folder import RunFolder, load_run
from ..measure.stats import STAT_NAMES

#: Units of the summary sheet, by option value, as (label, nm per unit).
UNITS = {"nm": ("nm", 1.0), "um": ("µm", 1000.0)}
#: Columns of the calibration sheet.
CALIBRATION_COLUMNS = (
    "image",
    "source",
    "nm_per_px",
    "nm_per_px_uncertainty",
    "scalebar_value",
    "scalebar_unit",
    "scalebar_bar_px",
    "ocr_text",
    "scalebar_nm_per_px",
    "metadata_nm_per_px",
    "metadata_vendor",
    "decision",
    "status",
    "qc_flags",
)
#: The workbook's file name in the output folder.
WORKBOOK = "results.xlsx"


def check_unit(unit: str) -> None:
    """Raise a one-line error for a unit the summary sheet cannot use."""
    if unit not in UNITS:
        raise NanokitError(f"--unit must be one of {', '.join(UNITS)}, got {unit!r}")


def _value(text: Any) -> Any:
    """A CSV cell as the number, bool or text it holds (None when empty)."""
    if not isinstance(text, str):
        return text
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number):
        return text
    return int(number) if number.is_integer() and "." not in text and "e" not in text else number


def write_workbook(out: str | Path, summary: dict[str, Any], unit: str = "nm") -> Path:
    """Write ``results.xlsx`` into a measure output folder.

    Sheets: ``images`` and ``particles`` (images.csv and particles.csv, typed), ``calibration``
    (per image: source, pixel size, scale-bar reading, metadata value, flags) and ``summary``
    (the statistics of ``summary``, the run's summary.json, in ``unit``: ``nm`` or ``um``;
    uncalibrated images stay in px).

    Returns:
        The workbook's path.
    """
    from openpyxl import Workbook

    check_unit(unit)
    run = load_run(out)
    book = Workbook()
    images = book.active
    images.title = "images"
    image_rows = read_rows(run.images_csv)
    _table(images, IMAGE_COLUMNS, image_rows)
    _table(book.create_sheet("particles"), PARTICLE_COLUMNS, read_rows(run.particles_csv))
    _table(book.create_sheet("calibration"), CALIBRATION_COLUMNS, _calibration(run, image_rows))
    _summary(book.create_sheet("summary"), summary, unit)
    path = run.out / WORKBOOK
    tmp = path.with_suffix(".tmp.xlsx")
    book.save(tmp)
    tmp.replace(path)
    return path


def _table(sheet: Any, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    """Header, typed rows, a frozen header row and a filter."""
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_value(row.get(c)) for c in columns])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _calibration(run: RunFolder, image_rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Calibration sheet rows: images.csv's calibration columns and the manifest's findings."""
    records = {r.image: r for r in run.images}
    rows = []
    for row in image_rows:
        record = records.get(row["image"])
        found = record.calibration if record is not None else {}
        rows.append({**row, **found, "source": row.get("calibration_source")})
    return rows


def _summary(sheet: Any, summary: dict[str, Any], unit: str) -> None:
    """Statistics of the pooled sample and of each image, with their 95 % intervals."""
    label, nm_per_unit = UNITS[unit]
    head = ["sample", "unit", "n"]
    for name in STAT_NAMES:
        head += [name, f"{name} CI low", f"{name} CI high"]
    sheet.append([*head, "log-normal median", "GSD", "status", "qc_flags"])
    pooled = {**summary["pooled"], "image": "all images pooled", "unit": summary["unit"]}
    for stats in [pooled, *summary["images"]]:
        scale = nm_per_unit if stats["unit"] == "nm" else 1.0
        cells: list[Any] = [stats["image"], label if stats["unit"] == "nm" else stats["unit"]]
        cells.append(stats["n"])
        for name in STAT_NAMES:
            ci = (stats.get("ci") or {}).get(name) or (None, None)
            cells += [_scaled(v, scale) for v in (stats[name], *ci)]
        fit = stats.get("lognormal")
        cells += [_scaled(fit["median"], scale), fit["gsd"]] if fit else [None, None]
        cells += [stats.get("status"), "; ".join(stats.get("qc_flags") or ())]
        sheet.append(cells)
    sheet.freeze_panes = "B2"


def _scaled(value: float | None, nm_per_unit: float) -> float | None:
    return None if value is None else value / nm_per_unit
