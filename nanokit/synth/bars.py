"""Scale-bar graphics drawn pixel-exactly (no anti-aliasing), with truth.csv's length conventions.

``bar_px`` is the calibrated length: the outer length for a plain bar, the tick-centre span for
bars with end ticks and for the 11-tick ruler. ``bbox`` is the inclusive outer extent of the
whole graphic (ticks included).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BBox = tuple[int, int, int, int]


@dataclass(frozen=True)
class BarGeometry:
    """Where a bar was drawn and how long it is (pixels)."""

    bbox: BBox
    bar_px: int
    thickness: int
    kind: str  # "plain", "end_ticks" or "ruler"

    @property
    def bar_px_outer(self) -> int:
        return self.bbox[2] - self.bbox[0] + 1


def _fill(canvas: np.ndarray, x0: int, y0: int, x1: int, y1: int, value: float) -> None:
    """Set the inclusive rectangle [x0, x1] x [y0, y1]; it must lie inside ``canvas``."""
    h, w = canvas.shape
    if not (0 <= x0 <= x1 < w and 0 <= y0 <= y1 < h):
        raise ValueError(f"rectangle {(x0, y0, x1, y1)} leaves canvas {canvas.shape}")
    canvas[y0 : y1 + 1, x0 : x1 + 1] = value


def plain_bar(
    canvas: np.ndarray, x0: int, y0: int, bar_px: int, thickness: int, value: float
) -> BarGeometry:
    """A filled rectangle ``bar_px`` wide, ``thickness`` high, top-left at (x0, y0)."""
    x1, y1 = x0 + bar_px - 1, y0 + thickness - 1
    _fill(canvas, x0, y0, x1, y1, value)
    return BarGeometry((x0, y0, x1, y1), bar_px, thickness, "plain")


def ticked_outer(bar_px: int, tick_w: int, inset: int) -> int:
    """Outer length of a bar with end ticks whose tick centres are ``bar_px`` apart."""
    return bar_px + tick_w + 2 * inset


def ticked_bar(
    canvas: np.ndarray,
    x0: int,
    line_y: int,
    bar_px: int,
    value: float,
    *,
    line_t: int = 2,
    tick_w: int = 2,
    tick_up: int = 4,
    tick_down: int = 4,
    inset: int = 0,
    gap: tuple[int, int] | None = None,
) -> BarGeometry:
    """A line with end ticks (Zeiss: 2-px ticks; Tescan: 1-px; FEI: 1-px ticks 1 px inside).

    Args:
        x0: left end of the line; line_y: top row of the line.
        bar_px: tick-centre span (the calibrated length).
        line_t: line thickness; tick_w: tick width; tick_up / tick_down: how far ticks
            reach above / below the line; inset: line overhang beyond each tick (FEI: 1).
        gap: inclusive columns [g0, g1] left out of the line (FEI: label inside the bar).
    """
    outer = ticked_outer(bar_px, tick_w, inset)
    x1 = x0 + outer - 1
    segments = [(x0, x1)] if gap is None else [(x0, gap[0] - 1), (gap[1] + 1, x1)]
    for s0, s1 in segments:
        _fill(canvas, s0, line_y, s1, line_y + line_t - 1, value)
    top, bottom = line_y - tick_up, line_y + line_t - 1 + tick_down
    for tx in (x0 + inset, x1 - inset - tick_w + 1):
        _fill(canvas, tx, top, tx + tick_w - 1, bottom, value)
    return BarGeometry((x0, top, x1, bottom), bar_px, line_t, "end_ticks")


def ruler(
    canvas: np.ndarray,
    x0: int,
    bottom: int,
    bar_px: int,
    value: float,
    *,
    tick_w: int = 2,
    short_h: int = 6,
    tall_h: int = 9,
    n_ticks: int = 11,
) -> BarGeometry:
    """Hitachi dotted ruler: ``n_ticks`` ticks over ``bar_px`` (first-to-last tick centre).

    The end and centre ticks are ``tall_h`` high, the others ``short_h``; all end at row
    ``bottom``. The label value is the length of the whole ruler.
    """
    for i in range(n_ticks):
        tx = x0 + round(i * bar_px / (n_ticks - 1))
        h = tall_h if i in (0, n_ticks // 2, n_ticks - 1) else short_h
        _fill(canvas, tx, bottom - h + 1, tx + tick_w - 1, bottom, value)
    bbox = (x0, bottom - max(tall_h, short_h) + 1, x0 + bar_px + tick_w - 1, bottom)
    return BarGeometry(bbox, bar_px, short_h, "ruler")
