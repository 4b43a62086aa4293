"""``nanokit remeasure OUT``: a measure run recomputed after corrections by hand."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import first_line
from ..measure.correction import recompute, rejected_status
from ..measure.outputs import IMAGE_COLUMNS, PARTICLE_COLUMNS, read_rows, write_rows
from ..measure.pipeline import DEFAULT_SIZER, MeasureSettings
from ..measure.run_folder import ImageRecord, load_run, write_manifest
from ..utils.progress import progress
from .image_files import ImageFilesWriter


@dataclass
class RemeasureResult:
    """What ``remeasure`` did.

    Attributes:
        summary: the rewritten summary.json.
        corrected: images recomputed from their edited labels or ROI sets.
        rejected: ``image: why`` of each image whose edits could not be used.
    """

    summary: dict[str, Any]
    corrected: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def remeasure(out: str | Path, unit: str = "nm", quiet: bool = False) -> RemeasureResult:
    """Recompute the images of a measure run whose ``masks/<key>.png`` or ``rois/<key>.zip``
    were edited; rewrite the tables, the statistics, their files, the report and the workbook.

    Images without edits keep their rows as they are. An image whose edits cannot be used (a
    corrupt zip, a ROI set of another image, labels of the wrong shape) keeps its results and
    gets an ``edit rejected: ...`` status; the others are recomputed all the same.

    Args:
        out: a ``nanokit measure`` output folder.
        unit: unit of the workbook's statistics, ``"nm"`` or ``"um"``.
        quiet: no progress bar.
    """
    from ..report import write_report
    from ..report.excel import check_unit, write_workbook

    check_unit(unit)
    run = load_run(out)
    out = run.out
    settings_json = _run_settings(out)
    settings = MeasureSettings(
        sizer=dict(settings_json.get("sizer") or DEFAULT_SIZER),
        few_particles=int(settings_json.get("few_particles", 10)),
        touching_fraction=float(settings_json.get("touching_fraction", 0.3)),
    )
    image_rows = {row["image"]: row for row in read_rows(run.images_csv)}
    particles: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in read_rows(run.particles_csv):
        particles[row["image"]].append(row)
    result = RemeasureResult(summary={})
    writer = ImageFilesWriter()
    records: list[ImageRecord] = []
    for record in progress(run.images, "remeasure", quiet=quiet):
        if record.mask_path is None or not record.edited() or record.image not in image_rows:
            records.append(record)
            continue
        ids = {int(p["particle_id"]) for p in particles[record.image]}
        try:
            corrected = recompute(out, record, image_rows[record.image], ids, settings, writer)
        except Exception as exc:  # noqa: BLE001 - one bad edit must not stop the others
            message = first_line(exc, type(exc).__name__)
            result.rejected.append(f"{record.image}: {message}")
            status = rejected_status(image_rows[record.image]["status"], message)
            image_rows[record.image]["status"] = status
            records.append(replace(record, status=status))
            continue
        result.corrected.append(record.image)
        image_rows[record.image] = corrected.row
        particles[record.image] = corrected.particles
        records.append(corrected.record)
    write_rows(run.images_csv, IMAGE_COLUMNS, image_rows.values())
    write_rows(run.particles_csv, PARTICLE_COLUMNS, (p for ps in particles.values() for p in ps))
    write_manifest(out, records)
    result.summary = write_report(out, settings=settings_json)
    write_workbook(out, result.summary, unit=unit)
    return result


def _run_settings(out: Path) -> dict[str, Any]:
    """The settings of the run, as its summary.json recorded them."""
    path = out / "summary.json"
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")).get("settings") or {})
