"""One image of a run recomputed from its label image or ROI set corrected by hand.

A person edits ``masks/<key>.png`` (napari) or ``rois/<key>.zip`` (Fiji); the manifest's
checksums tell which. Particles keep their ids; new ones get ids after the largest.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NanokitError
from .image_outputs import PARTICLE_FLAGS, particle_flags, particle_row, size_columns
from .pipeline import MeasureSettings
from .result import ImageDrawing, ImageWriter
from .run_folder import ImageRecord, with_checksums

#: QC flag of an image whose particles were corrected by hand.
CORRECTED_FLAG = "corrected by hand"
#: Status part of an image whose edited files could not be used (its results stay as they were).
REJECTED = "edit rejected"
#: images.csv size columns, recomputed from the corrected particles.
SIZE_COLUMNS = ("n_particles", "mean_d_nm", "std_d_nm", "d10_nm", "d50_nm", "d90_nm")


class CorrectionError(NanokitError):
    """Edited files of an image that cannot be used."""


@dataclass(frozen=True)
class Correction:
    """An image recomputed from its corrected labels.

    Attributes:
        record: its manifest record (fresh checksums, ``corrected`` set).
        row: its images.csv row.
        particles: its particles.csv rows.
        added: ids of the particles drawn by hand in a ROI set.
    """

    record: ImageRecord
    row: dict[str, Any]
    particles: list[dict[str, Any]]
    added: list[int]


def corrected_labels(record: ImageRecord, ids: set[int]) -> tuple[np.ndarray, str, list[int]]:
    """The edited labels of an image, what was edited (``"rois"`` or ``"mask"``) and the ids
    of ROIs drawn by hand (``ids``: the image's particle ids before the edit).

    Raises:
        CorrectionError: both files edited, an unreadable label image or one of the wrong
            shape, a ROI set that does not fit the image (see
            :func:`~nanokit.measure.fiji.read_roi_set`).
    """
    import cv2

    from .fiji import read_roi_set

    edited = record.edited()
    shape = (record.height, record.width)
    if edited == ["mask", "rois"]:
        raise CorrectionError(
            f"both masks/{record.key}.png and rois/{record.key}.zip were edited; "
            "remove the one whose edits should not count"
        )
    if edited == ["rois"]:
        labels, added = read_roi_set(record.roi_path, shape, record.image, ids)
        return labels, "rois", added
    labels = cv2.imread(str(record.mask_path), cv2.IMREAD_UNCHANGED)
    if labels is None or labels.dtype.kind not in "ui":
        raise CorrectionError(f"masks/{record.key}.png is not a readable integer label image")
    if labels.shape != shape:
        size = "x".join(str(n) for n in labels.shape[::-1])
        raise CorrectionError(
            f"masks/{record.key}.png is {size} px, its image {record.width}x{record.height}"
        )
    return labels, "mask", []


def size_as_labelled(
    labels: np.ndarray, record: ImageRecord, settings: MeasureSettings
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Size hand-corrected labels as they are: no minimum size, no splitting, ids kept.

    Returns:
        The (H, W) int32 labels (nothing outside the image's frames: the data bar, margins,
        gutters between panels) and their particles (px).
    """
    from ..sizing.sizers.base import BaseSizer, SizingResult

    sizer_cfg = settings.sizer
    sizer = BaseSizer(min_area_px=1, connectivity=int(sizer_cfg.get("connectivity", 8)))
    original = labels.astype(np.int32)
    parts = [(f, sizer.size_labels(original[f.slices])) for f in record.image_frames]
    result = SizingResult.of_parts(labels.shape, parts)
    # describe() numbers particles 1..N in the order of the labels: map them back.
    mapping = np.zeros(len(result.particles) + 1, np.int32)
    mapping[result.labels.ravel()] = original.ravel()
    mapping[0] = 0
    for p in result.particles:
        p["particle_id"] = int(mapping[p["particle_id"]])
    return mapping[result.labels], result.particles


def recompute(
    out: Path,
    record: ImageRecord,
    row: dict[str, Any],
    ids: set[int],
    settings: MeasureSettings,
    writer: ImageWriter,
) -> Correction:
    """Recompute an image whose label image or ROI set was edited; ``writer`` rewrites its files.

    Args:
        out: the run's output folder.
        record: its manifest record.
        row: its images.csv row (as read back).
        ids: its particle ids before the edit.
        settings: the sizer config and QC thresholds of the run.
        writer: writes the image's files anew.
    """
    from ..io import read_image

    labels, kind, added = corrected_labels(record, ids)
    source = record.tiff_path if record.tiff_path is not None else record.source
    grey = read_image(source).grey
    labels, particles = size_as_labelled(labels, record, settings)
    exclude = bool(settings.sizer.get("exclude_border", True))
    measured = [p for p in particles if not (exclude and p["touches_border"])]
    nm = record.nm_per_px
    columns, sizes, stats = size_columns(
        measured, nm, record.calibration.get("nm_per_px_uncertainty")
    )
    status = [s for s in row["status"].split("; ") if not _recomputed_status(s)]
    if not measured:
        status.append("no particles")
    flags = [f for f in record.qc_flags if f not in (*PARTICLE_FLAGS, CORRECTED_FLAG)]
    flags += particle_flags(particles, measured, settings.few_particles, settings.touching_fraction)
    flags.append(CORRECTED_FLAG)
    new_row = {k: v for k, v in row.items() if k not in SIZE_COLUMNS}
    new_row.update(columns, status="; ".join(status) or "ok", qc_flags=flags)
    boxes = (record.scalebar_box, record.label_box)
    drawing = ImageDrawing(
        record.key,
        record.image,
        grey,
        labels,
        particles,
        nm,
        (list(boxes[0]) if boxes[0] else None, list(boxes[1]) if boxes[1] else None),
        record.image_frames,
        sizes,
        stats,
    )
    writer.write(out, drawing)
    updated = replace(record, status=new_row["status"], qc_flags=tuple(flags), stats=stats)
    return Correction(
        with_checksums(updated, kind),
        new_row,
        [particle_row(record.image, p, nm) for p in particles],
        added,
    )


def rejected_status(status: str, message: str) -> str:
    """images.csv status of an image whose edits were rejected (its results unchanged)."""
    kept = [s for s in status.split("; ") if not s.startswith(REJECTED) and s != "ok"]
    return "; ".join([f"{REJECTED}: {message.replace('; ', ', ')}", *kept])


def _recomputed_status(part: str) -> bool:
    """Status parts that a recomputation sets anew."""
    return part in ("ok", "no particles") or part.startswith(REJECTED)
