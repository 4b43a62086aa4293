"""Finding scale bars and measuring their calibrated length to the pixel.

All functions work on a *foreground-bright* grey image: (H, W) uint8 where the bar is brighter
than its surroundings (a black bar is found in the inverted image). Lengths are in px along x.

Conventions (those of ``shared/data/scalebars/truth.csv``):

- plain rectangle (filled or outlined): the outer length, edges at 60 % of the contrast;
- bar with end ticks (Zeiss, Tescan, FEI): the span between the two tick centres;
- dotted ruler of 11 ticks (Hitachi): the span between the first and the last tick centre.

Every measured bar carries the uncertainty of its two ends (``Bar.end_u``, px); the detector
refuses bars whose length is uncertain by more than 1 %.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

#: Threshold levels tried on the foreground-bright image (the bar need not be saturated).
LEVELS = (64, 96, 128, 160, 192, 224)
#: Shortest bar considered, px.
MIN_BAR_PX = 15
#: Shortest piece kept by the opening, px.
MIN_PIECE_PX = 9
#: Shortest half of a split bar, px (shorter pieces are glyph strokes).
MIN_SPLIT_PIECE_PX = 12
#: Least contrast between a bar and the pixels right above and below it, grey levels.
MIN_CONTRAST = 35.0
#: Ticks of a Hitachi ruler.
RULER_TICKS = 11
#: Least excess (in line heights of foreground) of an end tick over the middle of the bar.
TICK_MIN_PEAK = 0.5
#: The same for the halves of a split bar, which always have end ticks (FEI): blurred ticks
#: that stand clear of the noise are accepted, their centres' uncertainty says how well.
SPLIT_TICK_MIN_PEAK = 0.2


@dataclass
class Bar:
    """A scale-bar candidate in image pixels.

    Attributes:
        x0, y0, x1, y1: outer box of the horizontal bar (inclusive), px.
        fg, bg: grey level of the bar and of its surroundings (foreground-bright image).
        left, right: sub-pixel x of the calibrated ends (edges or tick centres), px.
        style: ``plain``, ``outlined``, ``ticked``, ``split`` (ticked bar cut by its label) or
            ``ruler``.
        gap: for ``split`` bars, the x-range (x0, x1) between the two halves.
        ticks: x of the end-tick centres when found (then ``left``, ``right`` are these).
        end_u: uncertainty of ``left`` and ``right``, px (edges: how far the end moves between
            edge conventions; ticks: centroid asymmetry and the end's edge uncertainty in
            quadrature; rulers: tick scatter).
    """

    x0: int
    y0: int
    x1: int
    y1: int
    fg: float = 0.0
    bg: float = 0.0
    left: float = 0.0
    right: float = 0.0
    style: str = "plain"
    gap: tuple[int, int] | None = None
    ticks: tuple[float, float] | None = None
    end_u: tuple[float, float] = (0.0, 0.0)

    def shifted(self, dy: int) -> Bar:
        """The same bar ``dy`` rows lower (for bars found in a horizontal band of an image)."""
        return replace(self, y0=self.y0 + dy, y1=self.y1 + dy)

    @property
    def length(self) -> float:
        """Calibrated length, px."""
        return self.right - self.left

    @property
    def uncertainty(self) -> float:
        """Uncertainty of :attr:`length`, px: the sum of both ends' (the conventions that place
        the ends move both alike, e.g. both inwards on a blurred bar)."""
        return float(sum(self.end_u))

    @property
    def box(self) -> tuple[int, int, int, int]:
        """Outer box (x0, y0, x1, y1), px."""
        return self.x0, self.y0, self.x1, self.y1

    @property
    def width(self) -> int:
        """Outer width, px."""
        return self.x1 - self.x0 + 1

    @property
    def thickness(self) -> int:
        """Height of the bar's line, px."""
        return self.y1 - self.y0 + 1

    @property
    def contrast(self) -> float:
        """Grey-level difference between bar and surroundings."""
        return self.fg - self.bg


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


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over the smaller box's area."""
    ix = min(a[2], b[2]) - max(a[0], b[0]) + 1
    iy = min(a[3], b[3]) - max(a[1], b[1]) + 1
    if ix <= 0 or iy <= 0:
        return 0.0
    small = min((a[2] - a[0] + 1) * (a[3] - a[1] + 1), (b[2] - b[0] + 1) * (b[3] - b[1] + 1))
    return ix * iy / small


def measure_bar(img: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> Bar | None:
    """Measure the bar seeded by box (x0, y0, x1, y1); None when it is not a clean bar.

    The ends are the half-maximum crossings of the bar's intensity profile (sub-pixel); end
    ticks, found as extra foreground at both ends in the rows around the line, replace them
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
    if _is_outlined(band, bar):
        bar.style = "outlined"
        return bar
    ticks = _tick_centres(img, bar, bar)
    if ticks is not None:
        centres, bar.end_u = ticks
        bar.left, bar.right = bar.ticks = centres
        bar.style = "ticked"
    return bar


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


#: Tick centres (left, right) and their uncertainties (left, right), px.
_Ticks = tuple[tuple[float, float], tuple[float, float]]


def _tick_centres(
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
        left = _end_ticks(img, first, peak, outside)[0]
        right = _end_ticks(img, last, peak, outside)[1]
        if left is None or right is None or max(left[1], right[1]) > 3 * min(left[1], right[1]):
            continue
        if not outside and not (_taller(img, first, left[0]) and _taller(img, last, right[0])):
            continue  # brighter ends of the line's own height: an outlined bar's end caps
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
    img: np.ndarray, bar: Bar, min_peak: float, outside: bool = False
) -> list[tuple[float, float, float] | None]:
    """(centre x, strength, uncertainty) of the tick at the left and at the right end of ``bar``
    (None where there is none: an excess under ``min_peak`` or four times the noise).

    Per column, the foreground above 30 % of the bar's contrast is summed over the rows of the
    line plus three rows above and below; ticks (crisp ones sticking out, blurred ones as
    brighter ends) are a clear excess over the middle of the bar, near its ends. With
    ``outside``, all foreground of the two rows 2-3 px above and of the two rows 2-3 px below
    the line is summed, less the line's blurred tail there (in proportion to the line's profile,
    which falls off at its ends); such a tick must stand out both above and below the line
    (half of ``min_peak`` each; glyph strokes do not) and fall off again outside the bar. The
    centre is the centroid of the excess above 30 % of its peak; its uncertainty is how far the
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
    ends: list[tuple[float, float, float] | None] = []
    for a, b in ((0, bar.x0 - lo + reach), (bar.x1 - lo - reach + 1, total.size)):
        excess = total[a:b]
        peak = float(excess.max(initial=0.0))
        if peak < max(min_peak, 4 * noise) or (
            outside
            and (
                min(float(e[a:b].max(initial=0.0)) for e, _ in parts) < min_peak / 2
                or (excess[0] if a == 0 else excess[-1]) > 0.3 * peak
            )
        ):
            ends.append(None)
            continue
        wide, narrow = (_centroid(excess, f * peak) for f in (0.3, 0.6))
        ends.append((lo + a + wide, peak, abs(narrow - wide)))
    return ends


def _end_reach(bar: Bar) -> int:
    """Columns at each end of ``bar`` where an end tick (or a stroke leaving the end) is sought."""
    return max(4, int(round(0.04 * bar.width)))


def _stroke_at_end(img: np.ndarray, bar: Bar, side: int) -> bool:
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
    with a stroke leaving their inner ends (:func:`_stroke_at_end`) are the top or bottom strokes
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
                and not (_stroke_at_end(img, a, +1) or _stroke_at_end(img, b, -1))
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
                ticks = _tick_centres(img, a, b, SPLIT_TICK_MIN_PEAK)
                if ticks is not None:
                    centres, joined.end_u = ticks
                    joined.left, joined.right = joined.ticks = centres
                merged.append(joined)
                used.update((i, j))
    return merged + [bar for k, bar in enumerate(bars) if k not in used]


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
