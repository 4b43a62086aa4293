"""What one image's sized particles become: table rows, size columns and QC flags.

Shared by ``nanokit measure`` (:class:`~nanokit.measure.pipeline.ImageProcessor`) and
``nanokit remeasure`` (labels corrected by hand), so both give the same columns.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .stats import summarize

#: QC flags that follow from the particles alone (recomputed after a correction).
PARTICLE_FLAGS = ("few particles", "many touching", "many cut by border")


def particle_row(image: str, p: dict[str, Any], nm_per_px: float | None) -> dict[str, Any]:
    """particles.csv row of one particle; nm columns empty without calibration."""
    return {
        "image": image,
        "particle_id": p["particle_id"],
        "cx_px": p["cx_px"],
        "cy_px": p["cy_px"],
        "area_px": p["area_px"],
        "ecd_px": p["ecd_px"],
        "ecd_nm": p["ecd_px"] * nm_per_px if nm_per_px else None,
        "feret_max_nm": p["feret_max_px"] * nm_per_px if nm_per_px else None,
        "feret_min_nm": p["feret_min_px"] * nm_per_px if nm_per_px else None,
        "aspect_ratio": p["aspect_ratio"],
        "circularity": p["circularity"],
        "touches_border": p["touches_border"],
    }


def size_columns(
    measured: list[dict[str, Any]], nm_per_px: float | None
) -> tuple[dict[str, Any], np.ndarray, dict[str, Any]]:
    """images.csv size columns of the measured particles, their diameters (nm, or px when
    uncalibrated) and :func:`~nanokit.measure.stats.summarize` of them: the image's statistics,
    computed once (bootstrap intervals included) for its row, its histogram and the report."""
    sizes = np.array([p["ecd_px"] for p in measured], dtype=np.float64)
    if nm_per_px:
        sizes = sizes * nm_per_px
    stats = summarize(sizes)
    columns: dict[str, Any] = {"n_particles": len(measured)}
    if nm_per_px:
        columns.update(
            mean_d_nm=stats["mean"],
            std_d_nm=stats["std"],
            d10_nm=stats["d10"],
            d50_nm=stats["d50"],
            d90_nm=stats["d90"],
        )
    return columns, sizes, stats


def particle_flags(
    particles: list[dict[str, Any]],
    measured: list[dict[str, Any]],
    few_particles: int,
    touching_fraction: float,
) -> list[str]:
    """The :data:`PARTICLE_FLAGS` that apply to an image's particles."""
    flags = []
    if 0 < len(measured) < few_particles:
        flags.append("few particles")
    if particles:
        touching = sum(p["touching"] for p in particles) / len(particles)
        if touching > touching_fraction:
            flags.append("many touching")
        cut = sum(p["touches_border"] for p in particles) / len(particles)
        if cut > 0.5:
            flags.append("many cut by border")
    return flags
