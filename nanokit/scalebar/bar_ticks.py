"""End ticks of a bar: found as extra foreground at its ends, placed at their centroids."""

from __future__ import annotations

import numpy as np

from .bar import Bar

#: Least excess (in line heights of foreground) of an end tick over the middle of the bar.
TICK_MIN_PEAK = 0.5

#: The same for the halves of a split bar, which always have end ticks (FEI): blurred ticks
#: that stand clear of the noise are accepted, their centres' uncertainty says how well.
SPLIT_TICK_MIN_PEAK = 0.2

#: Share of a brighter end's peak it must fall under within two line heights (and 2 px) into
#: a whole bar: a tick is drawn with the line's pen; what goes on into the bar is a segment of
#: it (the black end squares of a bar drawn in black and grey segments), not a tick.
TICK_INNER_SHARE = 0.5

#: Tick centres (left, right) and their uncertainties (left, right), px.
_Ticks = tuple[tuple[float, float], tuple[float, float]]


def tick_centres(
    img: np.ndarray, first: Bar, last: Bar, min_peak: float = TICK_MIN_PEAK
) -> _Ticks | None:
    """The left tick of ``first`` and the right tick of ``last`` (the same bar, or the two
    halves of a split bar), or None unless both ends have a similar tick.

    Ticks that stick out of the line (by :data:`TICK_MIN_PEAK` at least, also on split bars) are
    measured in the rows beside it only, where the line's end does not pull their centres
    inwards; others (blurred ticks seen as brighter ends) in the line's rows too. A tick is as
    uncertain as its asymmetry and the line's end (blurred alike) together.
    """
    for outside, peak in ((True, max(min_peak, TICK_MIN_PEAK)), (False, min_peak)):
        # brighter ends of a whole bar must fall off again inside it (TICK_INNER_SHARE)
        falls_off = first is last and not outside
        left = _end_ticks(img, first, peak, outside, falls_off)[0]
        right = _end_ticks(img, last, peak, outside, falls_off)[1]
        if left is None or right is None or max(left[1], right[1]) > 3 * min(left[1], right[1]):
            continue
        # brighter ends of a whole bar's own height are an outlined bar's end caps (the halves
        # of a split bar always carry end ticks, FEI's barely taller than the line)
        whole = first is last and not outside
        if whole and not (_taller(img, first, left[0]) and _taller(img, last, right[0])):
            continue
        return (left[0], right[0]), (
            float(np.hypot(left[2], first.end_u[0])),
            float(np.hypot(right[2], last.end_u[1])),
        )
    return None


def _taller(img: np.ndarray, bar: Bar, x: float) -> bool:
    """Whether the columns at ``x`` (give or take one) are above half contrast in at least two
    more rows than the middle of ``bar``, within three rows of its line: a tick, however
    blurred, sticks out of the line; the end caps of an outlined bar, scaled down until they
    merge with its top and bottom lines, do not."""
    rows = slice(max(0, bar.y0 - 3), min(img.shape[0], bar.y1 + 4))
    high = img[rows] >= bar.bg + 0.5 * bar.contrast
    middle = high[:, bar.x0 + bar.width // 4 : bar.x1 + 1 - bar.width // 4].sum(axis=0)
    col = int(round(x))
    return int(high[:, max(0, col - 1) : col + 2].sum(axis=0).max()) >= np.median(middle) + 2


def _end_ticks(
    img: np.ndarray, bar: Bar, min_peak: float, outside: bool = False, falls_off: bool = False
) -> list[tuple[float, float, float] | None]:
    """(centre x, strength, uncertainty) of the tick at the left and at the right end of ``bar``
    (None where there is none: an excess under ``min_peak`` or four times the noise).

    Per column, the foreground above 30 % of the bar's contrast is summed over the rows of the
    line plus three rows above and below; ticks (crisp ones sticking out, blurred ones as
    brighter ends) are a clear excess over the middle of the bar, near its ends. With
    ``outside``, all foreground of the two rows 2-3 px above and of the two rows 2-3 px below
    the line is summed, less the line's blurred tail there (in proportion to the line's profile,
    which falls off at its ends); such a tick must stand out both above and below the line
    (half of ``min_peak`` each; glyph strokes do not) and fall off again outside the bar. With
    ``falls_off``, the excess must fall off again inside the bar too (:data:`TICK_INNER_SHARE`).
    The centre is the centroid of the excess above 30 % of its peak; its uncertainty is how far the
    centroid moves when only the excess above 60 % is kept (0 for a symmetric tick).
    """
    ya, yb = max(0, bar.y0 - 3), min(img.shape[0], bar.y1 + 4)
    rows = np.arange(ya, yb)
    margin = 4 if outside else 2
    groups = [rows[rows < bar.y0 - 1], rows[rows > bar.y1 + 1]] if outside else [rows]
    if any(g.size == 0 for g in groups):
        return [None, None]
    lo, hi = max(0, bar.x0 - margin), min(img.shape[1], bar.x1 + margin + 1)
    parts = [_excess(img, g, bar, lo, hi, outside) for g in groups]
    total = np.sum([excess for excess, _ in parts], axis=0)
    noise = float(np.hypot.reduce([n for _, n in parts]))
    reach = _end_reach(bar)
    wide_tick = 2 * bar.thickness + 2  # a tick is drawn with the line's pen
    ends: list[tuple[float, float, float] | None] = []
    for a, b in ((0, bar.x0 - lo + reach), (bar.x1 - lo - reach + 1, total.size)):
        excess = total[a:b]
        peak = float(excess.max(initial=0.0))
        if (
            peak < max(min_peak, 4 * noise)
            or (
                falls_off
                and _inner_run(total, a + int(np.argmax(excess)), a == 0, peak) > wide_tick
            )
            or (
                outside
                and (
                    min(float(e[a:b].max(initial=0.0)) for e, _ in parts) < min_peak / 2
                    or (excess[0] if a == 0 else excess[-1]) > 0.3 * peak
                )
            )
        ):
            ends.append(None)
            continue
        wide, narrow = (_centroid(excess, f * peak) for f in (0.3, 0.6))
        ends.append((lo + a + wide, peak, abs(narrow - wide)))
    return ends


def _inner_run(total: np.ndarray, start: int, inwards_right: bool, peak: float) -> int:
    """Columns from ``start`` (a tick's peak) into the bar over which the excess ``total`` stays
    above :data:`TICK_INNER_SHARE` of ``peak``."""
    step = 1 if inwards_right else -1
    i = start
    while 0 <= i + step < total.size and total[i + step] > TICK_INNER_SHARE * peak:
        i += step
    return abs(i - start)


def _end_reach(bar: Bar) -> int:
    """Columns at each end of ``bar`` where an end tick (or a stroke leaving the end) is sought."""
    return max(4, int(round(0.04 * bar.width)))


def stroke_at_end(img: np.ndarray, bar: Bar, side: int) -> bool:
    """Whether a stroke leaves the left (``side`` -1) or right (+1) end of ``bar`` upwards or
    downwards: foreground of at least :data:`TICK_MIN_PEAK` line heights in the two rows 2-3 px
    above, or below, the line within :func:`_end_reach` of the end, and four times the noise of
    the quieter side (the stems of an "m" make the middle of its top stroke noisy below, not
    above).

    The top and bottom strokes of glyphs ("n", "m", "u") have their stems there; the halves of a
    bar split by its label end freely at the gap.
    """
    rows = np.arange(max(0, bar.y0 - 3), min(img.shape[0], bar.y1 + 4))
    groups = [rows[rows < bar.y0 - 1], rows[rows > bar.y1 + 1]]
    parts = [_excess(img, g, bar, bar.x0, bar.x1 + 1, True) for g in groups if g.size]
    if not parts:
        return False
    noise = min(n for _, n in parts)
    reach = _end_reach(bar)
    ends = [excess[:reach] if side < 0 else excess[-reach:] for excess, _ in parts]
    return max(float(end.max()) for end in ends) >= max(TICK_MIN_PEAK, 4 * noise)


def _excess(
    img: np.ndarray, rows: np.ndarray, bar: Bar, lo: int, hi: int, outside: bool
) -> tuple[np.ndarray, float]:
    """Per column ``lo..hi-1``, the foreground of ``rows`` beyond the line's share, and its
    noise (robust spread over the middle of the bar), in line heights.

    Beside the line (``outside``) all foreground counts and the line's blurred tail is removed
    in proportion to the line's profile; across it only the foreground above 30 % of the
    contrast counts, less the middle's level.
    """
    norm = np.clip((img[rows, lo:hi].astype(np.float32) - bar.bg) / bar.contrast, 0, 2)
    mass = (norm if outside else np.maximum(norm - 0.3, 0)).sum(axis=0)
    mid = mass[bar.width // 4 : mass.size - bar.width // 4]
    base = float(np.median(mid))
    noise = 1.4826 * float(np.median(np.abs(mid - base)))
    line = np.full(mass.size, base, np.float32)
    if outside:
        profile = img[bar.y0 : bar.y1 + 1, lo:hi].astype(np.float32).mean(axis=0)
        line *= np.clip((profile - bar.bg) / bar.contrast, 0, 1)
    return mass - line, noise


def _centroid(values: np.ndarray, level: float) -> float:
    """Index centroid of ``values`` above ``level`` (weights: the values)."""
    keep = np.where(values > level, values, 0.0)
    return float((np.arange(keep.size) * keep).sum() / keep.sum())
