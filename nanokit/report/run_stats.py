"""The statistics of a measure run, as the report shows them: per image and all images pooled."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..measure.outputs import measured_diameters
from ..measure.run_folder import ImageRecord, load_run
from ..measure.stats import summarize


@dataclass(frozen=True)
class ImageStats:
    """One image of the run: its manifest record and the statistics of its measured particles
    (:func:`~nanokit.measure.stats.summarize`, in ``record.unit``)."""

    record: ImageRecord
    stats: dict[str, Any]


@dataclass(frozen=True)
class RunStats:
    """Every image of a run, by name, and all calibrated particles pooled.

    Attributes:
        images: the images sorted by name.
        unit: unit of the pooled sample: ``nm``, or ``px`` when no image is calibrated.
        pooled: :func:`~nanokit.measure.stats.summarize` of ``pooled_sizes``.
        pooled_sizes: (n,) the measured diameters of every image in ``unit``.
        status_counts: images per status (its first part: ``ok``, ``failed``, ...).
        flag_counts: images per QC flag.
    """

    images: list[ImageStats]
    unit: str
    pooled: dict[str, Any]
    pooled_sizes: np.ndarray
    status_counts: Counter[str]
    flag_counts: Counter[str]


def collect(out: Path, exclude_border: bool = True) -> RunStats:
    """The statistics of the run in ``out`` (read through :func:`load_run`).

    Each image's statistics are those computed when it was measured; an image whose record has
    none (a run of an older nanokit) gets them from particles.csv here, seeded the same way.
    """
    run = load_run(out)
    diameters = measured_diameters(run, exclude_border)
    images = []
    pooled: dict[str, list[float]] = {"nm": [], "px": []}
    uncertainties: list[float] = []  # each calibrated particle's scale uncertainty
    for record in run.images:
        d = diameters.get(record.image, np.zeros(0))
        pooled[record.unit].extend(d.tolist())
        if record.unit == "nm":
            uncertainties.extend([record.scale_uncertainty] * len(d))
        stats = record.stats if record.stats is not None else summarize(d)
        images.append(ImageStats(record, stats))
    unit = "nm" if pooled["nm"] or not pooled["px"] else "px"
    sizes = np.array(pooled[unit], dtype=np.float64)
    # each image's scale errs in one direction for all its particles: the pooled statistics
    # can be off by their particle-weighted mean at most
    scale_uncertainty = float(np.mean(uncertainties)) if unit == "nm" and uncertainties else 0.0
    return RunStats(
        images=images,
        unit=unit,
        pooled=summarize(sizes, scale_uncertainty=scale_uncertainty),
        pooled_sizes=sizes,
        status_counts=Counter(r.status.split(":")[0].split(";")[0] for r in run.images),
        flag_counts=Counter(f for r in run.images for f in r.qc_flags),
    )
