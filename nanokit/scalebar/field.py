"""What the data bar's other text says about the field of view, and whether a label agrees.

Instrument data bars print the horizontal field width (``HFW 2.07 µm``, ``Width = 20.7 µm``,
``View field: 41.5 µm``) and the magnification (``Mag = 50.00 K X``, ``x100k``, ``X50,000``,
``50 000 x``). A scale-bar label whose pixel size gives a field of view far from the printed
width, or a magnification that no display width explains, is misread (``nm`` read as ``mm``,
``100`` read as ``10``): it is re-read or refused, never used.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from ..ocr.engines.base import BaseOCREngine
from ..ocr.units import NM_PER_UNIT, compact_label, normalise_text
from .label import Word, group_words, label_crop

#: Largest ratio between the field of view a label gives and the printed field width (the
#: width is rounded, a cropped figure shows less of the field; misreads are 10x and more off).
MAX_FIELD_RATIO = 2.0
#: Display widths that magnifications refer to, mm (JEOL 120 mm prints, Polaroid 127 mm,
#: FEI, Zeiss and Tescan screens up to about 420 mm), with a margin either way.
DISPLAY_MM = (50.0, 800.0)
#: Text phrases of the data bar read at most, per image.
MAX_PHRASES = 12
#: A strip pixel this far from the strip's fill is text, grey levels.
TEXT_CONTRAST = 40
#: A strip column off the fill by this much (grey levels) in this share of the strip's rows,
#: through no character, is the border of a table cell (faint grid lines count).
BORDER_CONTRAST = 10
BORDER_SHARE = 0.8

_NUMBER = r"\d+(?:[.,]\d+)?"
_GROUPED = r"\d{1,3}(?:[ ,.\u202f]\d{3})+(?![\d.,])|\d+(?:[.,]\d+)?"
_WIDTH = re.compile(
    rf"\b(?:HFW|Width|View\s*field|Field\s*of\s*view|FOV)\s*[:=]?\s*(?P<number>{_NUMBER})\s*"
    r"(?P<unit>[uµμ]\s?m|nm|mm|pm)(?![A-Za-z])",
    re.IGNORECASE,
)
_MAG = (
    re.compile(
        rf"\bMag\w*\s*[:=]?\s*[xX×]?\s*(?P<number>{_GROUPED})\s*(?P<kilo>[kK])?\s*[xX×]?(?!\w)",
        re.IGNORECASE,
    ),
    re.compile(rf"(?<![\w.,])(?<!\d\s)[xX×]\s?(?P<number>{_GROUPED})\s*(?P<kilo>[kK])?(?![\w.,])"),
    re.compile(rf"(?<![\w.,])(?P<number>{_GROUPED})\s*(?P<kilo>[kK])?\s?[xX×](?!\s*\d)(?!\w)"),
)


@dataclass(frozen=True)
class FieldText:
    """The field of view as the data bar prints it.

    Attributes:
        hfw_nm: horizontal field width, nm (None: not printed or not read).
        mag: magnification (None: not printed, not read, or read as two different values).
        text: the data-bar text read, phrases joined by `` | ``.
    """

    hfw_nm: float | None = None
    mag: float | None = None
    text: str = ""


def parse_field_text(text: str) -> FieldText:
    """The field width and magnification printed in ``text`` (one or more data-bar phrases)."""
    norm = normalise_text(text)
    widths = {_number(m["number"]) * NM_PER_UNIT[_unit(m["unit"])] for m in _WIDTH.finditer(norm)}
    mags: set[float] = set()
    for pattern in _MAG:
        for m in pattern.finditer(norm):
            kilo = bool(m["kilo"])
            value = _number(m["number"], grouped=not kilo) * (1000 if kilo else 1)
            if value >= 5:
                mags.add(value)
    return FieldText(
        hfw_nm=widths.pop() if len(widths) == 1 else None,
        mag=mags.pop() if len(mags) == 1 else None,
        text=text,
    )


def field_conflict(nm_per_px: float, width_px: int, field: FieldText) -> str:
    """Why a pixel size disagrees with the printed field ('' when it agrees or nothing is
    printed): the field of view ``nm_per_px * width_px`` against the printed width, and the
    display width that the printed magnification would need."""
    fov = nm_per_px * width_px
    if field.hfw_nm is not None:
        ratio = fov / field.hfw_nm
        if not 1 / MAX_FIELD_RATIO <= ratio <= MAX_FIELD_RATIO:
            return (
                f"field of view {_length(fov)} but the data bar prints a width of "
                f"{_length(field.hfw_nm)}"
            )
    if field.mag is not None:
        display_mm = fov * field.mag / 1e6
        if not DISPLAY_MM[0] <= display_mm <= DISPLAY_MM[1]:
            return (
                f"field of view {_length(fov)} at the printed magnification x{field.mag:g} "
                f"needs a {display_mm:.3g} mm display"
            )
    return ""


def read_field_text(
    engine: BaseOCREngine, grey: np.ndarray, strip: tuple[int, int], skip: Word | None = None
) -> FieldText:
    """Read the phrases of the data bar ``strip`` (rows y0, y1 of ``grey``) until they print a
    field width, or a magnification outside a table (a table may print the width in a later
    column); ``skip`` (the label) is not read. A header's value (the phrase below it) is read
    right after the header, and the two are parsed as one phrase (:func:`table_text`)."""
    band = grey[strip[0] : strip[1] + 1]
    phrases = _phrases(band, float(np.median(band)), strip[0], skip)
    words = [word for word, _ in phrases]
    texts: list[str | None] = [None] * len(phrases)
    todo = list(range(len(phrases)))
    field = FieldText()
    table = False  # a header with its value below it was read
    while todo and sum(t is not None for t in texts) < MAX_PHRASES:
        i = todo.pop(0)
        if texts[i] is not None:
            continue
        word, img = phrases[i]
        text = texts[i] = engine.read(label_crop(img, word)).text
        if _is_header(text) and (below := value_below(words, i)) is not None:
            todo.insert(0, below)
            table = True
        field = parse_field_text(table_text(list(zip(words, texts, strict=True))))
        if field.hfw_nm is not None or (field.mag is not None and not table):
            break
    return field


def table_text(cells: list[tuple[Word, str | None]]) -> str:
    """The phrases read (box and text; None: not read), joined by `` | ``, then each header (a
    phrase without digits) joined with the value printed directly below it: a data bar
    printed as a table (``HFW`` over ``1.73 mm``) reads ``HFW 1.73 mm``."""
    words = [word for word, _ in cells]
    texts = [text for _, text in cells if text is not None]
    for i, (_, text) in enumerate(cells):
        below = value_below(words, i) if text is not None and _is_header(text) else None
        if below is not None and (value := cells[below][1]) is not None:
            texts.append(f"{text} {value}")
    return " | ".join(texts)


def value_below(words: list[Word], i: int) -> int | None:
    """Index of the word printed directly below ``words[i]`` as a table prints the value
    below its header: the nearest that overlaps the header's columns, its top within two
    character heights of the header's bottom, and under no other word of the header's line
    (a line of text below a label and its value is no table). None if there is none."""
    header = words[i]
    line = [
        w
        for j, w in enumerate(words)
        if j != i and min(w.y1, header.y1) - max(w.y0, header.y0) >= 0.5 * header.height
    ]
    below = [
        (word.y0, j)
        for j, word in enumerate(words)
        if _columns_overlap(word, header)
        and header.y1 - 1 <= word.y0 <= header.y1 + 2 * max(header.height, word.height)
        and not any(_columns_overlap(word, other) for other in line)
    ]
    return min(below)[1] if below else None


def _columns_overlap(a: Word, b: Word) -> bool:
    return a.x0 <= b.x1 and b.x0 <= a.x1


def _is_header(text: str) -> bool:
    """Whether a phrase is a table header: letters, no digits (``HFW``, ``mag``, ``FoV``)."""
    return bool(re.search(r"[A-Za-z]", text)) and not re.search(r"\d", text)


def _phrases(
    band: np.ndarray, fill: float, y0: int, skip: Word | None
) -> list[tuple[Word, np.ndarray]]:
    """Text phrases of the strip, left to right and top to bottom, each with the
    foreground-bright strip image it was found in (text brighter or darker than the fill);
    a phrase never crosses the border of a table cell."""
    import cv2

    found: list[tuple[Word, np.ndarray]] = []
    for bright in (True, False):
        img = band if bright else cv2.bitwise_not(band)
        level = (fill if bright else 255 - fill) + TEXT_CONTRAST
        mask = (img >= level).astype(np.uint8)
        _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        chars = [
            (int(x), int(y), int(x + w - 1), int(y + h - 1))
            for x, y, w, h, area in stats[1:]
            if 5 <= h <= 60 and w <= 3 * h and area >= 6
        ]
        full = np.zeros((y0 + img.shape[0], img.shape[1]), np.uint8)  # one per polarity
        full[y0:] = img
        for word in _cell_words(chars, _cell_borders(band, fill, chars)):
            placed = Word(word.x0, word.y0 + y0, word.x1, word.y1 + y0, word.height)
            if skip is not None and _overlaps(placed, skip):
                continue
            found.append((placed, full))
    found.sort(key=lambda item: (item[0].y0 // max(1, int(item[0].height)), item[0].x0))
    return found


def _cell_borders(
    band: np.ndarray, fill: float, chars: list[tuple[int, int, int, int]]
) -> np.ndarray:
    """Columns of the strip that are table cell borders: off the fill by
    :data:`BORDER_CONTRAST` in :data:`BORDER_SHARE` of its rows, and through no character."""
    off = np.abs(band.astype(np.int16) - fill) >= BORDER_CONTRAST
    border = off.mean(axis=0) >= BORDER_SHARE
    for x0, _, x1, _ in chars:
        border[x0 : x1 + 1] = False
    return np.flatnonzero(border)


def _cell_words(chars: list[tuple[int, int, int, int]], borders: np.ndarray) -> list[Word]:
    """``chars`` grouped into words within each table cell (never across a column of
    ``borders``: the values of a table row printed close together stay apart)."""
    cells: dict[int, list[tuple[int, int, int, int]]] = {}
    for char in chars:
        cells.setdefault(int(np.searchsorted(borders, char[0])), []).append(char)
    return [word for cell in cells.values() for word in group_words(cell, 2.0)]


def _overlaps(a: Word, b: Word) -> bool:
    return _columns_overlap(a, b) and a.y0 <= b.y1 and b.y0 <= a.y1


def _number(text: str, grouped: bool = False) -> float:
    """A printed number; ``2,07`` is 2.07. With ``grouped`` (a magnification without ``k``),
    ``50 000``, ``49,900`` and ``1.000`` group thousands."""
    digits = re.sub(r"\s", "", text)
    if grouped and re.fullmatch(r"\d{1,3}(?:[,.\u202f]\d{3})+", digits):
        return float(re.sub(r"\D", "", digits))
    return float(digits.replace(",", "."))


def _unit(text: str) -> str:
    unit = compact_label(text).lower()
    return "um" if unit[0] in "uµμ" else unit


def _length(nm: float) -> str:
    """``nm`` in a readable unit: 2.07 µm, 850 nm, 1.5 mm."""
    for unit in ("mm", "um", "nm"):
        if nm >= NM_PER_UNIT[unit] or unit == "nm":
            value = nm / NM_PER_UNIT[unit]
            digits = max(0, 2 - math.floor(math.log10(value))) if value > 0 else 0
            return f"{value:.{digits}f} {unit.replace('u', 'µ')}"
    return f"{nm:g} nm"
