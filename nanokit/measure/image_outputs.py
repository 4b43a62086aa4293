"""What one image's sized particles become: table rows, size columns, QC flags and files.

Shared by ``nanokit measure`` (:class:`~nanokit.measure.pipeline.ImageProcessor`) and
``nanokit remeasure`` (labels corrected by hand), so both give the same columns and files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NanokitError
from .run_folder import FILE_PATTERNS
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
    uncalibrated) and :func:`~nanokit.measure.stats.summarize` of them (no bootstrap)."""
    sizes = np.array([p["ecd_px"] for p in measured], dtype=np.float64)
    if nm_per_px:
        sizes = sizes * nm_per_px
    stats = summarize(sizes, n_boot=0)
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


def write_image_files(
    out: Path,
    key: str,
    image: str,
    grey: np.ndarray,
    labels: np.ndarray,
    particles: list[dict[str, Any]],
    nm_per_px: float | None,
    boxes: tuple[list[float] | None, list[float] | None],
    rows: tuple[int, int],
    sizes: np.ndarray,
    stats: dict[str, Any],
) -> None:
    """Write one image's label PNG, ROI set, ImageJ TIFF, overlay and histogram under ``out``.

    Args:
        boxes: scale bar and label boxes ``[x0, y0, x1, y1]`` (or None) for the overlay.
        rows: ``[top, bottom)`` rows outside the data bar.
        sizes, stats: the measured diameters (nm, or px when uncalibrated) and their summary.
    """
    import cv2

    from ..report.overlay import draw_overlay
    from ..report.plots import histogram_png
    from .fiji import write_imagej_tiff, write_roi_set

    paths = {kind: out / p.format(key=key) for kind, p in FILE_PATTERNS.items()}
    for path in paths.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    if labels.max() > np.iinfo(np.uint16).max:
        raise NanokitError(f"too many particles for a 16-bit label image ({labels.max()})")
    # PNGs without row filters, up to 3x quicker to write (the same pixels). Masks compress
    # well with the fastest deflate; overlays (noisy micrographs) are stored uncompressed:
    # deflating them takes 10x longer to write and 6x longer to read for 2.3x fewer bytes.
    unfiltered = [cv2.IMWRITE_PNG_FILTER, cv2.IMWRITE_PNG_FILTER_NONE]
    cv2.imwrite(
        str(paths["mask"]),
        labels.astype(np.uint16),
        [cv2.IMWRITE_PNG_COMPRESSION, 1, *unfiltered],
    )
    overlay = draw_overlay(grey, labels, particles, boxes[0], boxes[1], rows)
    cv2.imwrite(str(paths["overlay"]), overlay, [cv2.IMWRITE_PNG_COMPRESSION, 0, *unfiltered])
    write_roi_set(paths["rois"], labels, image)
    write_imagej_tiff(paths["tiff"], grey, nm_per_px)
    unit = "nm" if nm_per_px else "px"
    histogram_png(sizes, paths["histogram"], unit, image, stats, size=(5.0, 3.2))
