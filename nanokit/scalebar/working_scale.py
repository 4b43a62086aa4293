"""Large images are read reduced: instruments draw the data bar, its text and the scale bar
larger in proportion at higher resolutions, and the reader's sizes (shortest bar, character
heights, glyph strokes) are those of images up to :data:`WORKING_SIDE` px."""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np

from ..utils.resize import resize_by
from .reading import ScalebarReading

#: Longest side (px) an image is read at; a larger one is reduced by a whole factor to fit.
WORKING_SIDE = 1536


def reduction(shape: tuple[int, ...]) -> int:
    """The whole factor an image of ``shape`` is reduced by before it is read (1: none)."""
    return max(1, math.ceil(max(shape[:2]) / WORKING_SIDE))


def reduced(grey: np.ndarray, factor: int) -> np.ndarray:
    """``grey`` averaged over ``factor`` x ``factor`` blocks (the last rows and columns that
    make no whole block left out; ``grey`` itself for 1), so that reduced pixel ``i`` spans
    full pixels ``factor * i`` to ``factor * i + factor - 1``."""
    if factor == 1:
        return grey
    height, width = (side // factor for side in grey.shape[:2])
    return resize_by(grey[: height * factor, : width * factor], 1 / factor)


def at_full_size(reading: ScalebarReading, factor: int, height: int) -> ScalebarReading:
    """``reading`` of an image reduced by ``factor`` in the full image's pixels (``height``:
    the full image's rows, which a data bar reaching the reduced image's bottom reaches); an
    error that gives lengths or pixel sizes says that they are the reduced image's."""
    if factor == 1:
        return reading

    def times(value: float | None) -> float | None:
        return None if value is None else value * factor

    def blocks(box: list) -> list:
        """The full-size box of the blocks a reduced box ``[x0, y0, x1, y1]`` covers."""
        return [box[0] * factor, box[1] * factor, *((v + 1) * factor - 1 for v in box[2:])]

    label = reading.label_bbox
    ends = reading.bar_endpoints
    rows = reading.databar_rows
    if rows is not None:
        last = rows[1] + 1 == height // factor  # the strip reaches the bottom
        rows = (rows[0] * factor, height - 1 if last else (rows[1] + 1) * factor - 1)
    error = reading.error
    if re.search(r"\d px|nm/px", error):
        error += f" (read reduced {factor} x: px and nm/px above are the reduced image's)"
    return replace(
        reading,
        error=error,
        bar_px=times(reading.bar_px),
        bar_px_uncertainty=times(reading.bar_px_uncertainty),
        nm_per_px=None if reading.nm_per_px is None else reading.nm_per_px / factor,
        label_bbox=None if label is None else blocks(label),
        # a reduced pixel's centre is the centre of the block it averages
        bar_endpoints=None if ends is None else [v * factor + (factor - 1) / 2 for v in ends],
        databar_rows=rows,
        other_marks=[blocks(box) for box in reading.other_marks],
    )
