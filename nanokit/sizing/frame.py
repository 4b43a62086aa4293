"""The frame of a micrograph: the box that holds the image proper, inside its data bar and any
uniform margin (the white or black border of a micrograph cut from a figure).

Particles reaching the frame are cut by it: the micrograph's own edge, not the margin's, is
where a particle may go on unseen.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..calibration.databar import find_databar

#: Largest distance (grey levels, 8-bit) of a margin's value from white or black: a figure's
#: border is one or the other; a flat dark or bright background of the micrograph itself
#: (an SEM substrate of grey 45 with a noise of 1 level) is not a border.
MARGIN_EXTREME = 16
#: Largest departure (grey levels) of a margin's pixels from its value; all but
#: :data:`MARGIN_OUTLIERS` of a line's pixels stay within it (JPEG ringing next to the micrograph
#: does).
MARGIN_SPREAD = 8
#: Share of a margin line's pixels that may depart further (dust, a stray JPEG block).
MARGIN_OUTLIERS = 0.02
#: Share of the first two lines inside a margin that differ from the margin's value by more
#: than :data:`MARGIN_SPREAD`: the micrograph starts there, along most of the edge.
MARGIN_STEP_SHARE = 0.5
#: Largest share of a line between a margin's flat lines and that step that departs from the
#: margin's value (JPEG ringing): the step is abrupt. A flat saturated background reaching the
#: edge (a bright TEM field, a black SEM substrate) fades into the image, and is no margin.
MARGIN_RINGING_SHARE = 0.25
#: Lines between a margin's flat lines and the micrograph that may depart from the margin's
#: value along part of their length: JPEG ringing fills the 8 x 8 blocks the edge runs through.
MARGIN_RINGING = 7
#: Widest margin (lines) that may have no flat line at all: a border of 1-2 px stored as
#: JPEG, whose ringing reaches every line of it.
THIN_MARGIN = 2
#: Narrowest gutter (lines) between the panels of a figure (:func:`panels`).
MIN_GUTTER = 2
#: Fewest lines of a panel between gutters (narrower stretches are left out).
MIN_PANEL = 16
#: Largest share of the image's width or height that the margins on two opposite sides take
#: together: beyond it the flat part is the image (a blank field), not a border.
MAX_MARGIN_SHARE = 0.5


def valid_rows(height: int, databar_rows: tuple[int, int] | None) -> tuple[int, int]:
    """Rows ``[top, bottom)`` of the image outside the data bar (inclusive ``(y0, y1)`` rows)."""
    if databar_rows is None:
        return 0, height
    y0, y1 = (max(0, min(height, int(v))) for v in databar_rows)
    # The bar is a strip at the top or the bottom; the particles live on the other side.
    return (y1 + 1, height) if y0 <= height - 1 - y1 else (0, y0)


class Frame(NamedTuple):
    """``[top, bottom)`` rows and ``[left, right)`` columns of the image proper."""

    top: int
    bottom: int
    left: int
    right: int

    @property
    def slices(self) -> tuple[slice, slice]:
        """(rows, columns) slices for indexing an image."""
        return slice(self.top, self.bottom), slice(self.left, self.right)

    @property
    def shape(self) -> tuple[int, int]:
        """(height, width) of the image inside the frame."""
        return self.bottom - self.top, self.right - self.left

    def shift(self, particles: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Particles measured inside the frame with their centres in the full image's px."""
        return [
            {**p, "cx_px": p["cx_px"] + self.left, "cy_px": p["cy_px"] + self.top}
            for p in particles
        ]

    def inner_boxes(
        self, boxes: list[tuple[float, float, float, float]]
    ) -> list[tuple[float, float, float, float]]:
        """Boxes ``(x0, y0, x1, y1)`` that reach inside the frame, in its own px."""
        inside = []
        for x0, y0, x1, y1 in boxes:
            if max(x0, x1) < self.left or min(x0, x1) >= self.right:
                continue
            if max(y0, y1) < self.top or min(y0, y1) >= self.bottom:
                continue
            inside.append((x0 - self.left, y0 - self.top, x1 - self.left, y1 - self.top))
        return inside


def find_frame(grey: np.ndarray, databar_rows: tuple[int, int] | None = None) -> Frame:
    """The frame of ``grey`` (8-bit): outside the data bar rows and inside uniform margins.

    A margin is a run of lines (rows or columns) along a side, each flat at one grey value near
    white or black (:data:`MARGIN_EXTREME`, :data:`MARGIN_SPREAD`), after which the image
    departs from that value along most of two lines in a row (:data:`MARGIN_STEP_SHARE`), at
    once or after a few lines of JPEG ringing (:data:`MARGIN_RINGING`). Margins of other
    values inside it (a black frame line in a white border) are peeled in turn; margins that
    take over :data:`MAX_MARGIN_SHARE` of the image are none (a blank field).
    """
    height, width = grey.shape
    top, bottom = valid_rows(height, databar_rows)
    frame = _inside_margins(grey, Frame(top, bottom, 0, width))
    rows, cols = frame.shape
    full_rows = bottom - top
    if rows <= 0 or cols <= 0:
        return Frame(top, bottom, 0, width)
    if full_rows - rows > MAX_MARGIN_SHARE * full_rows or width - cols > MAX_MARGIN_SHARE * width:
        return Frame(top, bottom, 0, width)
    return frame


def panels(grey: np.ndarray, frame: Frame) -> list[Frame]:
    """The panels of a figure inside ``frame``, each inside its own margins: the image split at
    the gutters between columns of panels, then at those between the panels of each column
    (``[frame]`` when there are none)."""
    box = grey[frame.slices].astype(np.int16)
    if min(box.shape) < 3:
        return [frame]
    parts = []
    for c0, c1 in _between(_bands(box.T), box.shape[1]):
        for r0, r1 in _between(_bands(box[:, c0:c1]), box.shape[0]):
            part = Frame(frame.top + r0, frame.top + r1, frame.left + c0, frame.left + c1)
            parts.append(_inside_margins(grey, part))
    return parts


def _bands(lines: np.ndarray) -> list[tuple[int, int]]:
    """``[start, end)`` of the gutters across ``lines`` (int16, a line per row): runs of at
    least :data:`MIN_GUTTER` lines flat near white or black with the image starting abruptly
    on both sides."""
    near = MARGIN_EXTREME + MARGIN_SPREAD
    # only lines nearly all within reach of white or black can be flat near either (the
    # median of every line of a large image would take a second)
    dark, bright = (lines <= near).mean(axis=1), (lines >= 255 - near).mean(axis=1)
    flat = np.zeros(len(lines) + 2, bool)
    for i in np.flatnonzero(np.maximum(dark, bright) >= 1 - MARGIN_OUTLIERS):
        value = np.median(lines[i])
        extreme = value <= MARGIN_EXTREME or value >= 255 - MARGIN_EXTREME
        off = (np.abs(lines[i] - value) > MARGIN_SPREAD).mean()
        flat[i + 1] = extreme and off <= MARGIN_OUTLIERS
    starts = np.flatnonzero(flat[1:] & ~flat[:-1])
    ends = np.flatnonzero(~flat[1:] & flat[:-1])
    # a margin to the image on either side: the panels start abruptly (a flat dark background
    # between particles fades into the image)
    return [
        (int(start), int(end))
        for start, end in zip(starts, ends, strict=True)
        if end - start >= MIN_GUTTER and _margin(lines[start:]) and _margin(lines[:end][::-1])
    ]


def _between(bands: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """``[start, end)`` of the stretches of ``length`` lines between ``bands``, of at least
    :data:`MIN_PANEL` lines."""
    edges = [0, *(v for band in bands for v in band), length]
    pieces = zip(edges[::2], edges[1::2], strict=True)
    return [(a, b) for a, b in pieces if b - a >= MIN_PANEL]


def _inside_margins(grey: np.ndarray, frame: Frame) -> Frame:
    """``frame`` without the uniform margins along its sides, peeled until none is left."""
    while (inner := _peel(grey, frame)) != frame:
        frame = inner
    return frame


def databar_inside_margins(grey: np.ndarray) -> tuple[int, int] | None:
    """Inclusive rows ``(y0, y1)`` of a data bar inside the image's uniform margins, or None: a
    figure's border below a data bar would pass for a (blank) data bar of its own."""
    margins = find_frame(grey)
    found = find_databar(grey[margins.slices])
    return None if found is None else (found[0] + margins.top, found[1] + margins.top)


def _peel(grey: np.ndarray, frame: Frame) -> Frame:
    """``frame`` without the margin along each of its sides (of one grey value per side)."""
    box = grey[frame.slices].astype(np.int16)
    if box.shape[0] < 3 or box.shape[1] < 3:
        return frame
    top = _margin(box)
    bottom = _margin(box[::-1])
    left = _margin(box.T)
    right = _margin(box.T[::-1])
    return Frame(frame.top + top, frame.bottom - bottom, frame.left + left, frame.right - right)


def _margin(lines: np.ndarray) -> int:
    """Number of leading rows of ``lines`` (int16) that make a margin (0 if none)."""
    value = int(np.median(lines[0]))
    if MARGIN_EXTREME < value < 255 - MARGIN_EXTREME:
        return 0
    # share of each line off the margin's value; the margin's lines have almost none
    off = (np.abs(lines - value) > MARGIN_SPREAD).mean(axis=1)
    flat = off <= MARGIN_OUTLIERS
    count = int(np.argmin(flat)) if not flat.all() else len(flat)
    if count == len(flat):
        return 0
    # the micrograph starts at the first line off the margin's value along most of its length
    # (and the next line too: one row of a data bar's text is no micrograph), right after the
    # flat lines or after a few lines that JPEG ringing blurs, never after a gradual rise
    window = off[count : count + MARGIN_RINGING + 2]
    depart = window >= MARGIN_STEP_SHARE
    steps = depart[:-1] & depart[1:]
    if not steps.any():
        return 0
    step = int(np.argmax(steps))
    if count == 0 and not 0 < step <= THIN_MARGIN:
        return 0
    return count + step if (window[:step] < MARGIN_RINGING_SHARE).all() else 0
