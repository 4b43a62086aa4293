"""What one image's sized particles become: table rows, size columns and QC flags.

Shared by ``nanokit measure`` (:class:`~nanokit.measure.pipeline.ImageProcessor`) and
``nanokit remeasure`` (labels corrected by hand), so both give the same columns.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .stats import summarize

#: QC flags that follow from the particles alone (recomputed after a correction).
PARTICLE_FLAGS = (
    "few particles",
    "many touching",
    "many cut by border",
    "likely merged",
    "small in pixels",
    "elongated",
)
#: ``small in pixels``: the measured particles' median diameter is under this many px. An outline
#: is uncertain by about half a pixel, over 6 % of such a diameter, and touching particles this
#: small are easily merged or missed: image them at a higher magnification.
SMALL_PX = 8.0
#: ``likely merged``: at least this share of the particles are ``MERGED_AREA`` times the median
#: particle's area or more and not convex (solidity under ``MERGED_SOLIDITY``; two equal discs
#: have 0.88 touching, 0.94 overlapping by a fifth of their diameter, 0.96 by 30 %): touching
#: or overlapping particles a segmenter kept as one, which it may be sure of. With the shipped
#: network it flags 12 of the 60 EMPS test images (mean-size error 23 % against 6 % for the
#: rest), 31 of BAM TiO2's 40 (SEM powders whose overlapping particles it merges: 33 % against
#: 26 %) and 2 of 80 synthetic scenes; solidity 0.9 flagged 5 EMPS (32 % against 8 %) and 3 BAM.
MERGED_SHARE = 0.05
MERGED_AREA = 1.8
MERGED_SOLIDITY = 0.95
#: ``elongated``: the median aspect ratio of at least 3 measured particles is this or more:
#: rods or wires, whose ECD is not their length (``feret_max_nm`` and ``feret_min_nm`` of
#: particles.csv are) and which segmenters cut in two or join where they cross. Fired by
#: 5 of the 60 EMPS test images (all of rods or wires; the default's mean-size error there 17 %
#: against 10 % over the set) and 21 of 24 synthetic rod scenes; by none of BAM TiO2's 40
#: (medians up to 1.66) nor of 104 synthetic scenes of round particles or cubes (up to 1.51).
ELONGATED_RATIO = 1.8


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
    measured: list[dict[str, Any]],
    nm_per_px: float | None,
    nm_per_px_uncertainty: float | None = None,
) -> tuple[dict[str, Any], np.ndarray, dict[str, Any]]:
    """images.csv size columns of the measured particles, their diameters (nm, or px when
    uncalibrated) and :func:`~nanokit.measure.stats.summarize` of them: the image's statistics,
    computed once (bootstrap intervals included, widened by the calibration's uncertainty where
    it is known) for its row, its histogram and the report."""
    sizes = np.array([p["ecd_px"] for p in measured], dtype=np.float64)
    scale_uncertainty = 0.0
    if nm_per_px:
        sizes = sizes * nm_per_px
        scale_uncertainty = (nm_per_px_uncertainty or 0.0) / nm_per_px
    stats = summarize(sizes, scale_uncertainty=scale_uncertainty)
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
    if measured and float(np.median([p["ecd_px"] for p in measured])) < SMALL_PX:
        flags.append("small in pixels")
    if len(measured) >= 3 and np.median([p["aspect_ratio"] for p in measured]) >= ELONGATED_RATIO:
        flags.append("elongated")
    if particles:
        touching = sum(p["touching"] for p in particles) / len(particles)
        if touching > touching_fraction:
            flags.append("many touching")
        cut = sum(p["touches_border"] for p in particles) / len(particles)
        if cut > 0.5:
            flags.append("many cut by border")
        if _merged_share(particles) >= MERGED_SHARE:
            flags.append("likely merged")
    return flags


def _merged_share(particles: list[dict[str, Any]]) -> float:
    """Share of ``particles`` that look like several merged into one (large and not convex)."""
    if len(particles) < 3:
        return 0.0
    median_area = float(np.median([p["area_px"] for p in particles]))
    merged = [
        p
        for p in particles
        if p["area_px"] >= MERGED_AREA * median_area and p["solidity"] < MERGED_SOLIDITY
    ]
    return len(merged) / len(particles)
