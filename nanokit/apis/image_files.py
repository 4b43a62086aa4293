"""The files of one measured image: label PNG, ROI set, ImageJ TIFF, overlay and histogram.

The writer that ``nanokit measure`` and ``nanokit remeasure`` hand to the pipeline: it draws
with the report's overlay and plot code, which ``measure/`` does not import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import NanokitError
from ..measure.result import ImageDrawing
from ..measure.run_folder import FILE_PATTERNS

if TYPE_CHECKING:
    from ..report.plots import FigurePool


class ImageFilesWriter:
    """Writes :data:`~nanokit.measure.run_folder.FILE_PATTERNS`' files of one image at a time.

    Keeps one :class:`~nanokit.report.plots.FigurePool` for its histograms; a copy sent to
    another process (a pool or dask worker) starts its own. Not thread-safe: one writer per
    thread, or calls under a lock.
    """

    def __init__(self) -> None:
        self._figures: FigurePool | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"_figures": None}  # figures stay in the process that drew them

    def write(self, out: Path, drawing: ImageDrawing) -> None:
        """Write ``drawing``'s files under ``out``."""
        import cv2

        from ..measure.fiji import write_imagej_tiff, write_roi_set
        from ..report.overlay import draw_overlay
        from ..report.plots import FigurePool, histogram_png

        d = drawing
        paths = {kind: out / p.format(key=d.key) for kind, p in FILE_PATTERNS.items()}
        for path in paths.values():
            path.parent.mkdir(parents=True, exist_ok=True)
        if d.labels.max() > np.iinfo(np.uint16).max:
            raise NanokitError(f"too many particles for a 16-bit label image ({d.labels.max()})")
        # PNGs without row filters, up to 3x quicker to write (the same pixels). Masks compress
        # well with the fastest deflate; overlays (noisy micrographs) are stored uncompressed:
        # deflating them takes 10x longer to write and 6x longer to read for 2.3x fewer bytes.
        unfiltered = [cv2.IMWRITE_PNG_FILTER, cv2.IMWRITE_PNG_FILTER_NONE]
        cv2.imwrite(
            str(paths["mask"]),
            d.labels.astype(np.uint16),
            [cv2.IMWRITE_PNG_COMPRESSION, 1, *unfiltered],
        )
        overlay = draw_overlay(d.grey, d.labels, d.particles, d.boxes[0], d.boxes[1], d.frames)
        cv2.imwrite(str(paths["overlay"]), overlay, [cv2.IMWRITE_PNG_COMPRESSION, 0, *unfiltered])
        write_roi_set(paths["rois"], d.labels, d.image)
        write_imagej_tiff(paths["tiff"], d.grey, d.nm_per_px)
        if self._figures is None:
            self._figures = FigurePool()
        unit = "nm" if d.nm_per_px else "px"
        histogram_png(
            d.sizes,
            paths["histogram"],
            unit,
            d.image,
            d.stats,
            size=(5.0, 3.2),
            figures=self._figures,
        )
