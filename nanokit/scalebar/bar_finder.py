"""Finding bar candidates: thresholded and Hough components of a foreground-bright image,
measured, with the halves of split bars and the lines of outlined bars joined."""

from __future__ import annotations

import cv2
import numpy as np

from .bar import LEVELS, MIN_CONTRAST, Bar
from .bar_ends import measure_bar
from .bar_ticks import SPLIT_TICK_MIN_PEAK, stroke_at_end, tick_centres

#: Shortest bar considered, px.
MIN_BAR_PX = 15

#: Shortest piece kept by the opening, px.
MIN_PIECE_PX = 9

#: Shortest half of a split bar, px (shorter pieces are glyph strokes).
MIN_SPLIT_PIECE_PX = 12


def find_bars(img: np.ndarray) -> list[Bar]:
    """Horizontal bars in a foreground-bright image, measured, best-contrast first.

    Candidates are long thin components of thresholded images that survive a horizontal
    opening (which also strips end ticks); two collinear halves with a gap between them are
    merged into one ``split`` bar (FEI databars centre the label inside the bar).
    """
    boxes = [box for box in _candidate_boxes(img) if _quick_contrast(img, *box) >= MIN_CONTRAST]
    bars = [bar for box in boxes if (bar := measure_bar(img, *box)) is not None]
    bars = _merge_outlines(img, bars)
    bars = [bar for bar in _merge_split(img, bars) if bar.width >= MIN_BAR_PX]
    bars.sort(key=lambda b: -b.contrast)
    return bars


def _candidate_boxes(img: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of bar-like components over all threshold levels, deduplicated.

    A grey-level opening with a horizontal line keeps what is at least :data:`MIN_PIECE_PX` long
    (and strips end ticks); thresholding it at each level equals opening each thresholded mask.
    Canny + probabilistic Hough segments (the paper's method) add what the levels miss.
    """
    w_img = img.shape[1]
    opened = cv2.morphologyEx(img, cv2.MORPH_OPEN, np.ones((1, MIN_PIECE_PX), np.uint8))
    found: list[tuple[int, int, int, int]] = []
    claimed = np.zeros(img.shape, bool)
    for level in LEVELS:
        mask = (opened >= level).astype(np.uint8)
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            if not (MIN_PIECE_PX <= w <= 0.95 * w_img and w >= 3 * h and h <= 80):
                continue
            if mask[y : y + h, x : x + w].mean() < 0.8:
                continue
            # a box mostly covered by an earlier one is the same bar at another level
            if claimed[y : y + h, x : x + w].mean() > 0.5:
                continue
            claimed[y : y + h, x : x + w] = True
            found.append((x, y, x + w - 1, y + h - 1))
    for x0, y0, x1, y1 in _hough_boxes(img):
        if claimed[y0 : y1 + 1, x0 : x1 + 1].mean() <= 0.5:
            claimed[y0 : y1 + 1, x0 : x1 + 1] = True
            found.append((x0, y0, x1, y1))
    return found


def _hough_boxes(img: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bar boxes seeded by the paper's Canny + probabilistic Hough horizontal segments.

    Each horizontal edge segment is grown towards its brighter side, row by row, while the rows
    stay above the mid level between the two sides (at most 80 rows).
    """
    edges = cv2.Canny(img, 50, 150)
    lines = cv2.HoughLinesP(
        edges, 1, np.pi / 180, threshold=MIN_BAR_PX, minLineLength=MIN_BAR_PX, maxLineGap=1
    )
    boxes: list[tuple[int, int, int, int]] = []
    height = img.shape[0]
    for xa, ya, xb, yb in lines.reshape(-1, 4) if lines is not None else []:
        if abs(int(yb) - int(ya)) > 1 or not 0 < ya < height - 1:
            continue
        x0, x1 = sorted((int(xa), int(xb)))
        y = int(ya)
        above = float(img[y - 1, x0 : x1 + 1].mean())
        below = float(img[y + 1, x0 : x1 + 1].mean())
        step, start = (1, y + 1) if below > above else (-1, y - 1)
        level = 0.5 * (above + below)
        end = start
        while 0 <= end + step < height and abs(end - start) < 80:
            if img[end + step, x0 : x1 + 1].mean() < level:
                break
            end += step
        top, bottom = sorted((start, end))
        if x1 - x0 + 1 >= 3 * (bottom - top + 1):
            boxes.append((x0, top, x1, bottom))
    return boxes


def _quick_contrast(img: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> float:
    """Mean of the box minus the mean of the rows 2-4 px above and below it."""
    inside = img[y0 : y1 + 1, x0 : x1 + 1].mean()
    above = img[max(0, y0 - 4) : max(0, y0 - 1), x0 : x1 + 1]
    below = img[y1 + 2 : y1 + 5, x0 : x1 + 1]
    parts = [p.mean() for p in (above, below) if p.size]
    return float(inside - max(parts)) if parts else 0.0


def _merge_outlines(img: np.ndarray, bars: list[Bar]) -> list[Bar]:
    """Join the top and bottom lines of a hollow (outlined) bar into one ``outlined`` bar."""
    used: set[int] = set()
    joined: list[Bar] = []
    for i, a in enumerate(bars):
        for j, b in enumerate(bars):
            if i == j or i in used or j in used or not 0 < b.y0 - a.y1 - 1 <= 3 * a.thickness:
                continue
            if abs(a.x0 - b.x0) <= 2 and abs(a.x1 - b.x1) <= 2:
                whole = measure_bar(img, min(a.x0, b.x0), a.y0, max(a.x1, b.x1), b.y1)
                if whole is not None and whole.style == "outlined":
                    joined.append(whole)
                    used.update((i, j))
    return joined + [bar for k, bar in enumerate(bars) if k not in used]


def _merge_split(img: np.ndarray, bars: list[Bar]) -> list[Bar]:
    """Join two collinear halves of one bar (a gap where the label sits) into a ``split`` bar.

    The halves are replaced by the joined bar; its ends are the outer ends of the halves. Halves
    with a stroke leaving their inner ends (:func:`stroke_at_end`) are the top or bottom strokes
    of neighbouring glyphs, not a bar (the word they belong to would pass for a label inside it,
    depending on a pixel or two of glyph spacing).
    """
    used: set[int] = set()
    merged: list[Bar] = []
    order = sorted(range(len(bars)), key=lambda i: bars[i].x0)
    for i in order:
        for j in order:
            a, b = bars[i], bars[j]
            if i == j or i in used or j in used or b.x0 <= a.x1:
                continue
            gap = b.x0 - a.x1 - 1
            same_rows = abs(a.y0 - b.y0) <= 1 and abs(a.y1 - b.y1) <= 1
            similar = 0.5 <= a.width / b.width <= 2.0 and abs(a.fg - b.fg) < 0.25 * a.contrast
            pieces = min(a.width, b.width) >= MIN_SPLIT_PIECE_PX
            if (
                same_rows
                and similar
                and pieces
                and 2 <= gap <= 5 * max(a.width, b.width)
                and not (stroke_at_end(img, a, +1) or stroke_at_end(img, b, -1))
            ):
                joined = Bar(
                    a.x0,
                    min(a.y0, b.y0),
                    b.x1,
                    max(a.y1, b.y1),
                    (a.fg + b.fg) / 2,
                    (a.bg + b.bg) / 2,
                    a.left,
                    b.right,
                    "split",
                    (a.x1 + 1, b.x0 - 1),
                )
                joined.end_u = (a.end_u[0], b.end_u[1])
                ticks = tick_centres(img, a, b, SPLIT_TICK_MIN_PEAK)
                if ticks is not None:
                    centres, joined.end_u = ticks
                    joined.left, joined.right = joined.ticks = centres
                merged.append(joined)
                used.update((i, j))
    return merged + [bar for k, bar in enumerate(bars) if k not in used]
