"""Measuring a bar: its ends to the sub-pixel (edges, shoulders, end ticks) and how
uncertain they are."""

from __future__ import annotations

import numpy as np

from .bar import MIN_CONTRAST, Bar
from .bar_ticks import tick_centres


def measure_bar(img: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> Bar | None:
    """Measure the bar seeded by box (x0, y0, x1, y1); None when it is not a clean bar.

    The ends are the crossings of the bar's intensity profile at :data:`EDGE_LEVEL` (sub-pixel,
    :func:`_edge`); end ticks, found as extra foreground at both ends in the rows around the line, replace them
    by the tick centres (intensity centroids).
    """
    band = img[max(0, y0 - 1) : y1 + 2].astype(np.float32)
    width = x1 - x0 + 1
    mid = slice(x0 + width // 4, x1 + 1 - width // 4)
    above, below = img[max(0, y0 - 4) : max(0, y0 - 1), mid], img[y1 + 2 : y1 + 5, mid]
    around = np.concatenate([above.ravel(), below.ravel()]).astype(np.float32)
    if around.size == 0:
        return None
    bg = float(np.median(around))
    # the line's rows: those reaching 80 % of the brightest row (top and bottom of outlined bars)
    levels = np.median(band[:, mid], axis=1)
    if levels.max() - bg < MIN_CONTRAST:
        return None
    core = levels - bg >= 0.8 * (levels.max() - bg)
    profile = band[core].mean(axis=0)
    inner = profile[mid]
    fg = float(np.median(inner))
    if fg - bg < MIN_CONTRAST or float(np.std(inner)) > 0.2 * (fg - bg):
        return None
    sides = _sides(above, below, fg)
    ends = (
        _edge(profile, x0 + width // 4, -1, bg, fg, sides),
        _edge(profile, x1 - width // 4, +1, bg, fg, sides),
    )
    if ends[0] is None or ends[1] is None:
        return None
    (left, left_u), (right, right_u) = ends
    rows = np.flatnonzero(core) + max(0, y0 - 1)
    y0, y1 = int(rows[0]), int(rows[-1])
    band = img[y0 : y1 + 1].astype(np.float32)
    bar = Bar(int(np.floor(left + 0.5)), y0, int(np.ceil(right - 0.5)), y1, fg, bg, left, right)
    bar.end_u = (left_u, right_u)
    if open_share(img, bar) > MAX_OPEN_SHARE:
        return None  # a slice of a filled region (the inside of a label box), not a stroke
    if _is_outlined(band, bar):
        bar.style = "outlined"
        return bar
    ticks = tick_centres(img, bar, bar)
    if ticks is not None:
        centres, bar.end_u = ticks
        bar.left, bar.right = bar.ticks = centres
        bar.style = "ticked"
    return bar


#: Largest share of a bar's length where neither side is ground (:func:`open_share`).
MAX_OPEN_SHARE = 0.1


def open_share(img: np.ndarray, bar: Bar) -> float:
    """Share of the columns between the bar's ends where the ground on both sides – the rows
    2-4 px above and below, as :func:`measure_bar` takes them – is as bright as the bar itself
    (85 % of its contrast).

    A bar is a solid stroke drawn on a ground: at every column at least one side is ground,
    whatever touches the other (a label drawn on the bar, an end tick, a bright particle behind
    the bar). A band of a filled region – the inside of a label box between the text and the
    bar, whose ends are the edges of the box – has the region's own colour on both sides
    wherever the text and the bar that bound it stop (0.35 of its length on a synthetic boxed
    label, 0.02 at most on the real and synthetic bars of ``benchmarks/scalebar.py``).
    """
    c0, c1 = int(np.ceil(bar.left)) + 1, int(np.floor(bar.right)) - 1
    if c1 < c0:
        return 0.0
    level = bar.bg + 0.85 * (bar.fg - bar.bg)
    open_cols = np.ones(c1 - c0 + 1, bool)
    for rows in (img[max(0, bar.y0 - 4) : max(0, bar.y0 - 1)], img[bar.y1 + 2 : bar.y1 + 5]):
        if not rows.size:
            return 0.0  # the image edge is ground
        open_cols &= np.median(rows[:, c0 : c1 + 1], axis=0) >= level
    return float(open_cols.mean())


def _sides(above: np.ndarray, below: np.ndarray, fg: float) -> tuple[float, ...]:
    """Grey levels of the ground above and below a bar of level ``fg`` when they differ by at
    least :data:`MIN_CONTRAST` (a drop shadow along one side, the edge of a panel), else ();
    only those at least :data:`MIN_CONTRAST` below the bar (a brighter side is no ground)."""
    if not (above.size and below.size):
        return ()
    levels = float(np.median(above)), float(np.median(below))
    if abs(levels[0] - levels[1]) < MIN_CONTRAST:
        return ()
    return tuple(level for level in levels if level <= fg - MIN_CONTRAST)


#: Level of a bar end between background (0) and bar (1).
EDGE_LEVEL = 0.6


def _edge(
    profile: np.ndarray,
    start: int,
    step: int,
    bg: float,
    fg: float,
    sides: tuple[float, ...] = (),
) -> tuple[float, float] | None:
    """Sub-pixel x where ``profile`` drops to :data:`EDGE_LEVEL` walking from ``start``, and
    the uncertainty of that end.

    The position lies between pixel centres (a crisp bar ending at pixel x gives x + 0.5), at
    :data:`EDGE_LEVEL` against the background right beside this end (else around the bar). The
    uncertainty is how far the end moves with the convention used to place it: the largest
    distance to the crossings at :data:`EDGE_LEVEL` and at half maximum against both the
    background around the bar and the one right beside this end (a crisp edge: about 0.1 px; a
    blurred, haloed or shaded one: more). Behind a flat shoulder (:func:`_shoulder`) the end is
    the step from the shoulder to the bar, and the shoulder is the background. Where the ground
    above the bar differs from the one below (``sides``: a drop shadow, a panel edge), their
    median is no ground: the side nearer the ground beside this end replaces it.

    Returns:
        (x, uncertainty) in px, or None when the profile never drops (the bar runs off the image).
    """
    x = _crossing(profile, start, step, bg + EDGE_LEVEL * (fg - bg))
    if x is None:
        return None
    grounds = [bg]
    # refine with the background right beside this end (halos, boxes, shaded surroundings)
    near = profile[int(x) + step * 3 : int(x) + step * 7 : step]
    if near.size and float(np.median(near)) < fg - MIN_CONTRAST:
        beside = float(np.median(near))
        if sides:
            grounds = [min(sides, key=lambda level: abs(level - beside))]
        grounds.append(beside)
    shoulder = _shoulder(profile, start, step, grounds[-1], fg)
    if shoulder is not None:  # the bar ends where its solid colour does
        grounds = [shoulder]
    ends = [
        _crossing(profile, start, step, b + f * (fg - b))
        for b in grounds
        for f in (EDGE_LEVEL, 0.5)
    ]
    if None in ends:
        return None
    x = ends[-2]  # EDGE_LEVEL against the nearest background
    return x, max(abs(e - x) for e in ends)


#: Pixels from which a flat band between a bar's end and the background is a shoulder.
SHOULDER_PX = 3


def _shoulder(profile: np.ndarray, start: int, step: int, bg: float, fg: float) -> float | None:
    """Grey level of a flat shoulder at this end of the bar, or None.

    A shoulder is a band of at least :data:`SHOULDER_PX` pixels at an intermediate level, flat
    (within 15 % of the contrast), between the bar's solid colour (85 % of the contrast) and half
    maximum, and at least :data:`MIN_CONTRAST` from both bar and background: a border or shadow
    drawn beside the bar (a blurred edge is a ramp, not a flat band).
    """
    core = _crossing(profile, start, step, bg + 0.85 * (fg - bg))
    half = _crossing(profile, start, step, bg + 0.5 * (fg - bg))
    if core is None or half is None:
        return None
    a, b = sorted((core, half))
    band = profile[int(np.ceil(a)) : int(np.floor(b)) + 1]
    if band.size < SHOULDER_PX:
        return None
    level = float(np.median(band))
    flat = float(np.ptp(band)) <= 0.15 * (fg - bg)
    apart = min(fg - level, level - bg) >= MIN_CONTRAST
    return level if flat and apart else None


def _crossing(profile: np.ndarray, start: int, step: int, level: float) -> float | None:
    """Sub-pixel x where ``profile`` first drops below ``level`` walking from ``start``."""
    x = start
    if profile[x] < level:
        return None
    while 0 <= x + step < profile.size:
        if profile[x + step] < level:
            inside, outside = profile[x], profile[x + step]
            return float(x + step * (inside - level) / max(inside - outside, 1e-6))
        x += step
    return None


def _is_outlined(band: np.ndarray, bar: Bar) -> bool:
    """Whether the bar is a hollow rectangle (bright outline, background inside)."""
    if band.shape[0] < 4:
        return False
    rows = band[:, bar.x0 + bar.width // 4 : bar.x1 + 1 - bar.width // 4].mean(axis=1)
    half = 0.5 * (bar.fg + bar.bg)
    return bool(rows[0] >= half and rows[-1] >= half and rows[1:-1].min() < half)
