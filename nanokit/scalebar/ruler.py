"""Hitachi dotted rulers: 11 evenly spaced vertical ticks and no line."""

from __future__ import annotations

import cv2
import numpy as np

from .bar import LEVELS, Bar

#: Ticks of a Hitachi ruler.
RULER_TICKS = 11


def find_rulers(img: np.ndarray) -> list[Bar]:
    """Hitachi-style dotted rulers: 11 equally spaced vertical ticks and no line.

    The calibrated span runs from the first to the last tick centre (column centroids).
    """
    rulers: list[Bar] = []
    for level in LEVELS[1:]:
        mask = (img >= level).astype(np.uint8)
        # keep only narrow structures, so ticks touching a bright image above stay apart
        mask &= 1 - cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, 7), np.uint8))
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        boxes = [cv2.boundingRect(c) for c in contours]
        ticks = [(x, y, w, h) for x, y, w, h in boxes if 3 <= h <= 40 and w <= 6 and h >= 1.5 * w]
        for ruler in _rulers_from_ticks(img, ticks):
            if not any(_overlap(ruler.box, r.box) > 0.5 for r in rulers):
                rulers.append(ruler)
    return rulers


def _rulers_from_ticks(img: np.ndarray, ticks: list[tuple[int, int, int, int]]) -> list[Bar]:
    """Runs of :data:`RULER_TICKS` ticks sharing rows, evenly spaced."""
    found: list[Bar] = []
    ticks.sort()
    for k, (x, y, _w, h) in enumerate(ticks):
        row = [t for t in ticks[k:] if t[1] <= y + h - 2 and y <= t[1] + t[3] - 2]
        row = [t for t in row if t[0] - x <= 60 * RULER_TICKS]
        if len(row) < RULER_TICKS:
            continue
        centres = [_column_centroid(img, t) for t in row]
        run = _even_run(centres)
        if run is None:
            continue
        first, last = run[0], run[-1]
        members = [t for t, c in zip(row, centres, strict=True) if first <= c <= last]
        x0 = min(t[0] for t in members)
        x1 = max(t[0] + t[2] - 1 for t in members)
        y0 = min(t[1] for t in members)
        y1 = max(t[1] + t[3] - 1 for t in members)
        fg = float(np.median([img[t[1] : t[1] + t[3], t[0] : t[0] + t[2]].max() for t in members]))
        bg = float(np.median(img[y0 : y1 + 1, x0 : x1 + 1]))
        # each end is as uncertain as the ticks' scatter about an evenly spaced ruler
        index = np.arange(RULER_TICKS)
        scatter = run - np.polyval(np.polyfit(index, run, 1), index)
        u = float(np.sqrt(np.mean(scatter**2)))
        found.append(Bar(x0, y0, x1, y1, fg, bg, first, last, "ruler", end_u=(u, u)))
    return found


def _column_centroid(img: np.ndarray, tick: tuple[int, int, int, int]) -> float:
    """Intensity-weighted x centre of a tick (x, y, w, h), with one px of margin."""
    x, y, w, h = tick
    lo = max(0, x - 1)
    cols = img[y : y + h, lo : x + w + 1].astype(np.float32).sum(axis=0)
    cols = cols - cols.min()
    return lo + float((np.arange(cols.size) * cols).sum() / max(cols.sum(), 1e-6))


def _even_run(centres: list[float]) -> np.ndarray | None:
    """Centres of exactly :data:`RULER_TICKS` evenly spaced ticks, starting at the first."""
    xs = sorted(centres)
    step = None
    run = [xs[0]]
    for x in xs[1:]:
        d = x - run[-1]
        if step is None:
            if d < 4:
                continue
            step = d
            run.append(x)
        elif abs(d - step) <= max(1.0, 0.12 * step):
            run.append(x)
        elif d > step:
            break
    if len(run) != RULER_TICKS:
        return None
    spacing = np.diff(run)
    if spacing.std() > max(0.6, 0.06 * spacing.mean()):
        return None
    return np.array(run)


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over the smaller box's area."""
    ix = min(a[2], b[2]) - max(a[0], b[0]) + 1
    iy = min(a[3], b[3]) - max(a[1], b[1]) + 1
    if ix <= 0 or iy <= 0:
        return 0.0
    small = min((a[2] - a[0] + 1) * (a[3] - a[1] + 1), (b[2] - b[0] + 1) * (b[3] - b[1] + 1))
    return ix * iy / small
