"""Locating the text label that belongs to a scale bar, and cutting it out for recognition.

Text is found as character-sized components of the same polarity as the bar, near it, grouped
into words; words are ranked by where they sit relative to the bar (inside a split bar, above,
below, beside) and how far away they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import cv2
import numpy as np

from .bar import Bar

#: Text pixels are brighter than this fraction of the bar's contrast (thin glyphs blur more).
TEXT_LEVEL = 0.35
#: A side of the bar whose ground is darker than the bar's surroundings by this share of its
#: contrast gets its own text level.
DARK_SIDE = 0.25
#: Largest gaps inside a word (value and unit stay together), in character heights: words are
#: grouped with each, and every distinct word is a candidate (the narrower gap keeps a boxed
#: label apart from the particles beside its box, the wider one joins "1" and "um" far apart;
#: a value and unit further apart still are joined as pairs, :func:`_pairs`).
WORD_GAPS = (2.0, 1.5)
#: Rank penalty of a joined pair of words against a single word, in character heights.
PAIR_PENALTY = 0.25
#: Rank penalty of a word that is not below a dotted ruler, in character heights.
RULER_PENALTY = 2.0
#: Rank penalty of a word outside the data bar for a bar inside it, in character heights.
STRIP_PENALTY = 2.0
#: Text height that crops are scaled up to for recognition, px.
OCR_TEXT_HEIGHT = 32
#: How far a partly read word is widened on the side where its number or unit is missing, in
#: character heights (a unit or a number of up to four glyphs the text mask lost: thin or
#: faint strokes of small, soft labels).
WIDEN = 3.0
#: A margin column of a label crop whose median is this share of the crop's contrast away from
#: its background lies outside the label's ground (beyond the edge of a box drawn around it).
FRAME_LEVEL = 0.25


@dataclass(frozen=True)
class Word:
    """A group of characters on one line: box (inclusive px) and its place relative to the bar.

    Attributes:
        x0, y0, x1, y1: box in image pixels.
        height: character height (median of its components), px.
        place: ``inside``, ``above``, ``below``, ``left`` or ``right`` of the bar.
        distance: gap between word and bar in character heights (0 inside).
    """

    x0: int
    y0: int
    x1: int
    y1: int
    height: float
    place: str = ""
    distance: float = 0.0


def find_label_words(img: np.ndarray, bar: Bar, strip: tuple[int, int] | None = None) -> list[Word]:
    """Words that may be the label of ``bar``, best first.

    Args:
        img: (H, W) uint8 foreground-bright image (the bar and its text bright).
        bar: the bar, measured in ``img``.
        strip: rows (y0, y1) of the instrument's data bar, if any.
    """
    h_img, w_img = img.shape
    span = bar.x1 - bar.x0 + 1
    mx, my = max(2 * span, 200), max(int(0.6 * span), 50)
    wx0, wy0 = max(0, bar.x0 - mx), max(0, bar.y0 - my)
    wx1, wy1 = min(w_img, bar.x1 + mx + 1), min(h_img, bar.y1 + my + 1)
    window = img[wy0:wy1, wx0:wx1]
    # faint thin glyphs on the flat ground of a data bar need a lower level than on an image
    grounds = (
        img[max(0, bar.y0 - 6) : max(0, bar.y0 - 2), bar.x0 : bar.x1 + 1],
        img[bar.y1 + 3 : bar.y1 + 7, bar.x0 : bar.x1 + 1],
    )
    flat = min((float(g.std()) for g in grounds if g.size), default=99.0) < 6
    share = TEXT_LEVEL if flat else 0.5
    level = bar.bg + share * bar.contrast
    mask = (window >= level).astype(np.uint8)
    # a side whose ground is much darker than the bar's surroundings as a whole (a bar on the
    # edge of a data bar: the image above, the black strip below) is measured against its own
    sides = (slice(0, bar.y0 - wy0), slice(bar.y1 + 1 - wy0, None))
    for rows, ground in zip(sides, grounds, strict=True):
        base = float(np.median(ground)) if ground.size else bar.bg
        if base < bar.bg - DARK_SIDE * bar.contrast:
            mask[rows] |= window[rows] >= base + share * (bar.fg - base)
    if bar.style != "ruler":  # cut the bar out so that glyphs touching it stay apart
        pieces = (
            [(bar.x0, bar.x1)]
            if bar.gap is None
            else [(bar.x0, bar.gap[0] - 1), (bar.gap[1] + 1, bar.x1)]
        )
        for xa, xb in pieces:
            mask[bar.y0 - wy0 : bar.y1 - wy0 + 1, xa - wx0 : xb - wx0 + 1] = 0
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    chars = []
    for x, y, w, h, area in stats[1:]:
        box = (x + wx0, y + wy0, x + wx0 + w - 1, y + wy0 + h - 1)
        if not 5 <= h <= max(40, 0.4 * span) or w > 4 * h or area < 8 or _is_bar_part(box, bar):
            continue
        if area > 0.75 * w * h and w > 0.5 * h and h > 25:
            continue  # a solid blob (particle), not a glyph
        chars.append(box)
    groupings = [group_words(chars, gap) for gap in WORD_GAPS]
    singles = list(dict.fromkeys(word for words in groupings for word in words))
    placed = [place_word(word, bar) for word in singles]
    # value and unit printed far apart: also try each word joined with its right neighbour
    pairs = [place_word(pair, bar) for words in groupings for pair in _pairs(words)]
    pairs = list(dict.fromkeys(pairs))
    pairs = [replace(p, distance=p.distance + PAIR_PENALTY) for p in pairs]
    return sorted((w for w in placed + pairs if w.place), key=lambda w: _rank(w, bar, strip))


def _rank(word: Word, bar: Bar, strip: tuple[int, int] | None) -> float:
    """Sort key of a label candidate: its distance; rulers (Hitachi) print the label below, and
    a bar in the instrument's data bar has its label in the data bar too."""
    penalty = RULER_PENALTY if bar.style == "ruler" and word.place != "below" else 0.0
    if strip is not None and strip[0] <= bar.y0 <= strip[1]:
        penalty += STRIP_PENALTY if not strip[0] <= word.y0 <= strip[1] else 0.0
    return word.distance + penalty


def _pairs(words: list[Word]) -> list[Word]:
    """Each word joined with the next word on its line, up to 4 character heights away."""
    pairs = []
    for a in words:
        right = [
            b
            for b in words
            if 0 < b.x0 - a.x1 <= 4 * max(a.height, b.height)
            and min(a.y1, b.y1) - max(a.y0, b.y0) + 1 >= 0.5 * min(a.height, b.height)
        ]
        if right:
            b = min(right, key=lambda w: w.x0)
            pairs.append(
                Word(a.x0, min(a.y0, b.y0), b.x1, max(a.y1, b.y1), max(a.height, b.height))
            )
    return pairs


def box_within(
    inner: tuple[int, int, int, int], outer: tuple[int, int, int, int], margin: int
) -> bool:
    """Whether box ``inner`` lies inside box ``outer`` grown by ``margin`` px on every side
    (boxes as inclusive (x0, y0, x1, y1))."""
    return (
        inner[0] >= outer[0] - margin
        and inner[1] >= outer[1] - margin
        and inner[2] <= outer[2] + margin
        and inner[3] <= outer[3] + margin
    )


def _is_bar_part(box: tuple[int, int, int, int], bar: Bar) -> bool:
    """Whether a component belongs to the bar graphic (line, ticks, ruler ticks)."""
    x0, y0, x1, y1 = box
    if bar.style == "ruler":
        return box_within(box, bar.box, 2)
    inside = box_within(box, bar.box, 1)
    crosses = x1 >= bar.x0 and x0 <= bar.x1 and y1 >= bar.y0 - 1 and y0 <= bar.y1 + 1
    near_end = min(abs(x0 - bar.x0), abs(x1 - bar.x1)) <= 3
    tick = crosses and x1 - x0 + 1 <= 4 and near_end
    return inside or tick or (crosses and x1 - x0 + 1 >= 0.25 * bar.width)


def group_words(chars: list[tuple[int, int, int, int]], max_gap: float) -> list[Word]:
    """Characters joined left to right into words: same line, gaps up to ``max_gap``
    character heights."""
    words: list[list[int]] = []
    for x0, y0, x1, y1 in sorted(chars):
        h = y1 - y0 + 1
        for word in words:
            wh = word[4]
            overlap = min(y1, word[3]) - max(y0, word[1]) + 1
            gap = x0 - word[2] - 1
            if (
                overlap >= 0.5 * min(h, wh)
                and -2 <= gap <= max_gap * max(h, wh)
                and _similar(h, wh)
            ):
                word[0], word[1] = min(word[0], x0), min(word[1], y0)
                word[2], word[3] = max(word[2], x1), max(word[3], y1)
                word[4] = max(wh, h) if h <= 1.6 * wh else wh
                word[5] += 1
                break
        else:
            words.append([x0, y0, x1, y1, h, 1])
    return [
        Word(w[0], w[1], w[2], w[3], float(w[4]))
        for w in words
        if w[5] >= 2 or w[2] - w[0] + 1 >= 1.5 * w[4]
    ]


def _similar(h: float, wh: float) -> bool:
    """Character heights compatible within one word (digits, lower case, descenders)."""
    return 0.55 <= h / wh <= 1.8


def place_word(word: Word, bar: Bar) -> Word:
    """``word`` with its place relative to ``bar`` and its distance; place '' if unrelated."""
    h = word.height
    xover = min(word.x1, bar.x1) - max(word.x0, bar.x0) + 1
    yover = min(word.y1, bar.y1 + h / 2) - max(word.y0, bar.y0 - h / 2) + 1
    wordw = word.x1 - word.x0 + 1
    in_gap = bar.gap is not None and bar.gap[0] - 2 <= (word.x0 + word.x1) / 2 <= bar.gap[1] + 2
    if in_gap and yover > 0:
        return _with(word, "inside", 0.0)
    if xover >= 0.5 * min(wordw, bar.width):
        if -min(2.0, 0.3 * h) <= bar.y0 - word.y1 <= min(2 * h, 30):
            return _with(word, "above", max(0.0, (bar.y0 - word.y1) / h))
        if -min(2.0, 0.3 * h) <= word.y0 - bar.y1 <= min(2 * h, 30):
            return _with(word, "below", max(0.0, (word.y0 - bar.y1) / h))
    if yover >= 0.5 * (word.y1 - word.y0 + 1):
        if 0 <= bar.x0 - word.x1 <= 4 * h:
            return _with(word, "left", 0.5 + (bar.x0 - word.x1) / h)
        if 0 <= word.x0 - bar.x1 <= 10 * h:
            return _with(word, "right", 0.5 + (word.x0 - bar.x1) / h)
    return word


def label_part(word: Word, text: str, part: str) -> Word:
    """The part of ``word`` that holds ``part`` of its recognised ``text`` (by character share)."""
    start = text.find(part)
    if start < 0 or not text:
        return word
    width = word.x1 - word.x0 + 1
    x0 = word.x0 + int(width * start / len(text))
    x1 = word.x0 + int(np.ceil(width * (start + len(part)) / len(text))) - 1
    return Word(x0, word.y0, max(x0, x1), word.y1, word.height)


def widened(word: Word, left: bool, right: bool, width: int) -> Word:
    """``word`` widened by :data:`WIDEN` character heights to the ``left`` and/or ``right``,
    within an image ``width`` px wide (same rows, height and place)."""
    grow = int(round(WIDEN * word.height))
    x0 = max(0, word.x0 - grow) if left else word.x0
    x1 = min(width - 1, word.x1 + grow) if right else word.x1
    return replace(word, x0=x0, x1=x1)


def _with(word: Word, place: str, distance: float) -> Word:
    return Word(word.x0, word.y0, word.x1, word.y1, word.height, place, distance)


def margin_box(word: Word, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """(y0, y1, x0, x1), end exclusive: the word's box with the margin its crop gets
    (:func:`label_crop`), within an image of ``shape``."""
    pad = max(3, int(round(0.35 * word.height)))
    y0, y1 = max(0, word.y0 - pad), min(shape[0], word.y1 + pad + 1)
    x0, x1 = max(0, word.x0 - pad), min(shape[1], word.x1 + pad + 1)
    return y0, y1, x0, x1


def label_crop(
    img: np.ndarray, word: Word, text_height: int = OCR_TEXT_HEIGHT, stretch: bool = False
) -> np.ndarray:
    """The word cut out with a margin, dark text on light, scaled for recognition.

    Args:
        img: (H, W) uint8 foreground-bright image (text bright).
        word: the word box.
        text_height: text height the crop is scaled up to, px (never scaled down).
        stretch: map the crop's 1st..99th percentile onto 0..255 first (soft, low-contrast
            text of small journal figures).

    Returns:
        (h, w) uint8 crop, text about ``text_height`` px high.
    """
    y0, y1, x0, x1 = margin_box(word, img.shape)
    crop = 255 - img[y0:y1, x0:x1]
    # blank the margin rows (bar ticks, neighbouring lines) to the crop's background, and the
    # margin columns that are not background from top to bottom (beyond the edge of a label's
    # box: read as a "1"); a glyph cut by the word box stays
    ground = np.median(crop)
    margin = np.r_[0 : max(0, word.x0 - 1 - x0), word.x1 + 2 - x0 : crop.shape[1]]
    contrast = float(np.percentile(crop, 99) - np.percentile(crop, 1))
    off = np.abs(np.median(crop[:, margin], axis=0) - ground) > FRAME_LEVEL * contrast
    crop[:, margin[off]] = ground
    crop[: max(0, word.y0 - 1 - y0)] = ground
    crop[word.y1 + 2 - y0 :] = ground
    if stretch:
        low, high = np.percentile(crop, (1, 99))
        if high > low:
            crop = np.clip((crop.astype(np.float32) - low) * (255 / (high - low)), 0, 255)
            crop = crop.astype(np.uint8)
    scale = text_height / max(word.height, 1.0)
    if scale > 1.2:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    border = max(4, crop.shape[0] // 5)
    return cv2.copyMakeBorder(crop, border, border, border, border, cv2.BORDER_REPLICATE)


def label_crops(img: np.ndarray, word: Word) -> Iterator[np.ndarray]:
    """The word prepared three ways, for a first read and re-reads: as cut, binarised (Otsu),
    and contrast-stretched at 1.5 x the text height (small, soft journal text)."""
    crop = label_crop(img, word)
    yield crop
    yield cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    yield label_crop(img, word, text_height=OCR_TEXT_HEIGHT * 3 // 2, stretch=True)
