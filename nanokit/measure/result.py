"""What measuring one image gives: its typed result, and what its files are drawn from.

:class:`~nanokit.measure.pipeline.ImageProcessor` returns an :class:`ImageResult` per image
and hands an :class:`ImageDrawing` to the :class:`ImageWriter` it was given, which writes the
image's files (label PNG, ROI set, ImageJ TIFF, overlay, histogram). The writer lives outside
``measure/`` (:class:`nanokit.apis.image_files.ImageFilesWriter`), so that measuring does not
import the report's drawing code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np


@dataclass(frozen=True)
class ImageResult:
    """One image measured (picklable: it travels back from worker processes).

    Attributes:
        image: its name in images.csv and particles.csv.
        key: file-safe key of its files (``masks/<key>.png``, ...).
        source: path of the input image.
        row: its images.csv row, plus what only the manifest keeps (``databar_rows``,
            ``frames``, ``scalebar_box``, ``label_box``, ``calibration``).
        particles: its particles.csv rows.
        finished: False for an image that failed, so that a re-run tries it again.
        stats: :func:`~nanokit.measure.stats.summarize` of its measured diameters (in nm, or
            px when uncalibrated), bootstrap intervals included; None for a failed image.
    """

    image: str
    key: str
    source: str | None
    row: dict[str, Any]
    particles: list[dict[str, Any]] = field(default_factory=list)
    finished: bool = False
    stats: dict[str, Any] | None = None

    @classmethod
    def failed(cls, image: str, key: str, source: str | None, status: str) -> ImageResult:
        """The result of an image that could not be measured (``status``: ``failed: ...``)."""
        return cls(image, key, source, {"image": image, "status": status})


@dataclass(frozen=True)
class ImageDrawing:
    """What one image's files are made of.

    Attributes:
        key, image: as in :class:`ImageResult`.
        grey: (H, W) uint8 image.
        labels: (H, W) int particle labels.
        particles: the sizer's particles (px), ids matching ``labels``.
        nm_per_px: pixel size; None when uncalibrated.
        boxes: scale bar and label boxes ``[x0, y0, x1, y1]`` (or None) for the overlay.
        frames: ``(top, bottom, left, right)`` of the image proper inside the data bar and any
            uniform margin, or of each panel of a figure (:class:`~nanokit.sizing.frame.Frame`).
        sizes: (n,) measured diameters (nm, or px when uncalibrated).
        stats: :func:`~nanokit.measure.stats.summarize` of ``sizes``.
    """

    key: str
    image: str
    grey: np.ndarray
    labels: np.ndarray
    particles: list[dict[str, Any]]
    nm_per_px: float | None
    boxes: tuple[list[float] | None, list[float] | None]
    frames: list[tuple[int, int, int, int]]
    sizes: np.ndarray
    stats: dict[str, Any]


class ImageWriter(Protocol):
    """Writes the files of one image under a run's output folder (picklable)."""

    def write(self, out: Path, drawing: ImageDrawing) -> None:
        """Write ``drawing``'s files under ``out``."""
