"""Finding the instrument data bar in the image itself: a strip of text on a flat fill.

One rule serves the scale-bar detector (the strip ranks the bar candidates inside it), measure
(the strip is never segmented) and the datasets (the strip is cropped off).
"""

from __future__ import annotations

import numpy as np

#: A strip row has at least this share of its pixels within :data:`TOL` of the strip's level.
FLAT = 0.6
#: Grey-level tolerance of "at the strip's level" on the 8-bit scale (JPEG noise of a fill).
TOL = 4
#: Consecutive busier rows (large text, logos, cell borders) tolerated inside the strip.
MAX_GAP = 20
#: The strip starts within this many rows of the edge (a cropped figure may leave a border).
LEAD = 32
#: Frame lines on the strip's inner side: at most this many rows at other levels ...
FRAME = 4
#: ... each with at least this share of its pixels at that level.
LINE = 0.9
#: Rows beside the strip (after a 3-row transition) compared with its level.
BESIDE = 10
#: The rows beside may have at most this share of their pixels at the strip's level ...
SHARED = 0.15
#: ... or this share when the strip's fill is one exact value (rendered, not imaged).
SHARED_RENDERED = 0.4
#: Median share of a strip row's most frequent exact value that makes the fill "rendered".
RENDERED = 0.6
#: A strip is between these shares of the image height.
HEIGHT = (0.01, 0.35)


def find_databar(
    image: np.ndarray, edges: tuple[str, ...] = ("bottom", "top")
) -> tuple[int, int] | None:
    """Inclusive rows ``(y0, y1)`` of a data bar along the bottom or top edge, or None.

    A data bar is text on a flat fill, so most pixels of each of its rows lie near one grey
    level, the same level in every row. From the edge inwards, rows at that level belong to the
    strip, with up to :data:`MAX_GAP` busier rows (text) between them; a thin frame line of
    other levels on the inner side belongs to it too. The strip's level is tried for every
    flat row near the edge; the level shared by the most rows wins (a flat image border or the
    strip's own frame lines lose). A smooth image can also be flat: a strip whose level also
    fills the rows beside it is a background, not a data bar, unless the fill is one exact
    value (a rendered strip next to a noisy image of about its grey).

    Args:
        image: (H, W) or (H, W, C) image of any dtype (the first channel is used; other dtypes
            than uint8 are scaled from their minimum and maximum to 0..255).
        edges: the edges to search, in order: ``"bottom"`` and/or ``"top"``.

    Returns:
        ``(y0, H - 1)`` for a bottom strip, ``(0, y1)`` for a top one; None when there is none
        or the flat band is under 1 % or over 35 % of H.
    """
    grey = _grey_levels(image)
    height, width = grey.shape
    offsets = (np.arange(height, dtype=np.int64) * 256)[:, None]
    hist = np.bincount((grey + offsets).ravel(), minlength=256 * height).reshape(height, 256)
    cum = np.zeros((height, 257), dtype=np.int64)
    np.cumsum(hist, axis=1, out=cum[:, 1:])
    levels = np.arange(256)
    # near[y, v]: share of row y within TOL of level v
    near = (cum[:, np.minimum(levels + TOL + 1, 256)] - cum[:, np.maximum(levels - TOL, 0)]) / width
    level, share = near.argmax(axis=1), near.max(axis=1)
    exact = hist.max(axis=1) / width
    for edge in edges:
        rows = np.arange(height)[::-1] if edge == "bottom" else np.arange(height)
        lead = rows[:LEAD]
        ordered = (near[rows], share[rows], level[rows])
        best: tuple[int, int] | None = None  # (rows from the edge, rows at the level)
        for value in np.unique(level[lead][share[lead] >= FLAT]):
            inner, count = _strip(*ordered, int(value))
            if inner is None or not HEIGHT[0] * height <= inner + 1 <= HEIGHT[1] * height:
                continue
            beside = near[rows[inner + 3 : inner + 3 + BESIDE], value]
            rendered = float(np.median(exact[rows[: inner + 1]])) >= RENDERED
            if beside.size and beside.mean() >= (SHARED_RENDERED if rendered else SHARED):
                continue
            if best is None or count > best[1]:
                best = (inner, count)
        if best is not None:
            y = int(rows[best[0]])
            return (y, height - 1) if edge == "bottom" else (0, y)
    return None


def _strip(
    near: np.ndarray, share: np.ndarray, level: np.ndarray, value: int
) -> tuple[int | None, int]:
    """The strip at grey level ``value`` in rows ordered from the edge inwards.

    Args:
        near: (N, 256) share of each row within :data:`TOL` of each level.
        share, level: (N,) each row's best share and its level.
        value: the strip's level.

    Returns:
        (index of the strip's innermost row or None, number of rows at ``value``).
    """
    inner, gap, count = None, 0, 0
    for i, at_level in enumerate(near[:, value] >= FLAT):
        if at_level:
            inner, gap, count = i, 0, count + 1
        else:
            gap += 1
            if gap > (LEAD if inner is None else MAX_GAP):
                break
    if inner is None:
        return None, 0
    # frame lines: a few very flat rows at other levels than the strip's, then the image's
    # texture (an embossed edge steps through several levels) ...
    k = inner + 1
    while k < len(share) and k - inner <= FRAME and share[k] >= LINE:
        if abs(int(level[k]) - value) <= 2 * TOL:
            break
        k += 1
    if inner + 1 < k <= inner + FRAME and (k == len(share) or share[k] < FLAT):
        return k - 1, count
    # ... or at one level, then no more of that level (beside a flat part of the image)
    k = inner + 1
    if k < len(share) and share[k] >= LINE and abs(int(level[k]) - value) > 2 * TOL:
        line = near[:, level[k]]
        while k < len(line) and k - inner <= FRAME and line[k] >= LINE:
            k += 1
        if k - inner <= FRAME and (k == len(line) or line[k] < FLAT):
            inner = k - 1
    return inner, count


def _grey_levels(image: np.ndarray) -> np.ndarray:
    """(H, W) int64 grey levels 0..255 of the first channel (scaled from its range if not uint8)."""
    grey = image if image.ndim == 2 else image[..., 0]
    if grey.dtype == np.uint8:
        return grey.astype(np.int64)
    values = grey.astype(np.float64)
    low, high = float(values.min()), float(values.max())
    if high <= low:
        return np.zeros(grey.shape, dtype=np.int64)
    return np.round((values - low) * (255 / (high - low))).astype(np.int64)
