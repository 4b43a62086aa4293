"""The paper's scale-bar recogniser (section 2.3.1), extended to what real instruments draw."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import cv2
import numpy as np

from ...calibration.databar import find_databar
from ...ocr.engines.base import BaseOCREngine
from ...ocr.units import ScaleLabel
from ...registry import SCALEBAR_DETECTORS
from ..bar import Bar
from ..bar_finder import find_bars
from ..field import FieldText, field_conflict, read_field_text
from ..label import Word, box_within, find_label_words, label_part, margin_box, place_word
from ..label_reader import LabelRead, cut_short, engine_name, glance, read_label
from ..reading import ScalebarReading
from ..ruler import find_rulers
from .base import BaseScalebarDetector

#: Plausible pixel sizes, nm per px (1 pm/px .. 100 µm/px).
NM_PER_PX_RANGE = (1e-3, 1e5)
#: Widest field of view an electron micrograph shows, nm: a few mm at a scanning microscope's
#: lowest magnification (the widest of the 50 real scale-bar images spans 3 mm), with a tenfold
#: margin. A wider field comes from a misread unit: ``nm`` read as ``mm`` makes it a million
#: times too wide, which the pixel-size range alone misses for small labels (5 nm over 50 px).
MAX_FIELD_NM = 3e7
#: The bottom part of the image searched first starts at this fraction of the height.
BOTTOM = 0.6
#: Overlap of the bottom band and the rest, px.
BAND_MARGIN = 40
#: Shortest bar accepted, px (a 1-px error must stay near 1 %).
MIN_BAR_PX = 15.0
#: Largest relative uncertainty of the bar length accepted.
MAX_BAR_UNCERTAINTY = 0.01
#: Shortest bar accepted for a label, in the label's character heights: a shorter stroke next
#: to the text is a glyph's (the foot of a 2, an underline of one character).
MIN_BAR_CHARS = 1.2


@dataclass
class _Candidate:
    bar: Bar
    img: np.ndarray
    polarity: str
    priority: float
    stage: int


@dataclass
class _Scan:
    """One image's search: its pixels, data bar and engines, the labels read so far (by
    polarity and word box) and each stage's bars (:meth:`PaperScalebarDetector._candidates`)."""

    grey: np.ndarray
    strip: tuple[int, int] | None
    engines: list[BaseOCREngine]
    reads: dict[tuple[str, int, int, int, int], LabelRead] = field(default_factory=dict)
    stages: dict[int, list[_Candidate]] = field(default_factory=dict)


@dataclass
class _Hit:
    """A bar with a label that parses next to it; ``distance`` in character heights."""

    cand: _Candidate
    word: Word
    read: LabelRead
    distance: float


@SCALEBAR_DETECTORS.register_module()
class PaperScalebarDetector(BaseScalebarDetector):
    """Data-bar strip, bar candidates, label OCR, value / length.

    Steps: locate the instrument data-bar strip (flat rows at the bottom); find horizontal bars
    (thresholded components and Canny + probabilistic Hough segments) and Hitachi dotted rulers
    in both polarities; rank them (inside the strip, with ticks, contrast, low in the image);
    for each, find the words beside, above, below or inside it and recognise them on crops
    (then, if no label parsed, the words of the other polarity: black text over a white bar);
    parse value and unit; measure the bar to the pixel with intensity profiles (tick centres
    for ticked bars and rulers). The first label that parses next to a bar is taken; of the
    bars that claim it the nearest wins, and another one as near must agree within ``agree``
    or the result is ambiguous. A label whose pixel size disagrees with the field width or
    magnification printed in the data bar (:mod:`~nanokit.scalebar.field`) is re-read and
    taken only when two reads agree on a value that fits, else refused.

    Args:
        max_bars: bar candidates examined at most.
        words_per_bar: label candidates recognised per bar at most.
        max_reads: label crops recognised per image at most (bounds the time per image).
        max_other_reads: words looked at, at most, once a bar is read, for another scale bar
            that disagrees with it (:meth:`_other_scale`). 12: a bar in a data bar is read
            after few words, and 6 more missed the other panel's label in 3 of the 70
            two-panel figures of ``benchmarks/scalebar.py --panels`` (about 10 % more time
            per real image, mean).
        agree: relative difference above which two readings of one label conflict.
        reread_engines: OCR engines (names or configs) that re-read a label the main engine
            read only partly or implausibly, restricted to the label's alphabet; those not
            installed are left out.
    """

    def __init__(
        self,
        max_bars: int = 16,
        words_per_bar: int = 4,
        max_reads: int = 10,
        max_other_reads: int = 12,
        agree: float = 0.02,
        reread_engines: Sequence[str | dict[str, Any]] = ("tesseract",),
    ) -> None:
        self.max_bars = max_bars
        self.max_reads = max_reads
        self.max_other_reads = max_other_reads
        self.words_per_bar = words_per_bar
        self.agree = agree
        self.reread_engines = tuple(reread_engines)
        self._rereaders: list[BaseOCREngine] | None = None

    def rereaders(self) -> list[BaseOCREngine]:
        """The installed re-read engines, built on first use."""
        if self._rereaders is None:
            from ...ocr import build_engine

            engines = [build_engine(cfg) for cfg in self.reread_engines]
            self._rereaders = [e for e in engines if e.is_available()]
        return self._rereaders

    def detect(self, grey: np.ndarray, engine: BaseOCREngine, name: str = "") -> ScalebarReading:
        record = ScalebarReading(image=name, engine=engine_name(engine))
        engines = [engine, *(e for e in self.rereaders() if type(e) is not type(engine))]
        strip = find_databar(grey)
        record.databar_rows = strip
        scan = _Scan(grey, strip, engines)
        problems: list[str] = []
        found = self._search(scan, problems, self.max_reads)
        if not found:
            record.error = "; ".join(dict.fromkeys(problems)) or _no_label_reason(scan.reads)
            return record
        # bars that claim the first label: the nearest wins; equally near ones must agree
        claims = sorted(
            (h for h in found if h.word == found[0].word and h.read.label == found[0].read.label),
            key=lambda h: h.distance,
        )
        hit = claims[0]
        for other in claims[1:]:
            near = other.distance - hit.distance < 0.5
            if near and abs(other.cand.bar.length / hit.cand.bar.length - 1) > self.agree:
                record.error = (
                    f"ambiguous bar: label {hit.read.label.text!r} fits bars of "
                    f"{hit.cand.bar.length:.1f} px and {other.cand.bar.length:.1f} px"
                )
                return record
        word, read, bar = hit.word, hit.read, hit.cand.bar
        if strip is not None:
            printed = read_field_text(engine, grey, strip, skip=word)
            read = _fitting_read(engines, hit, printed, grey.shape[1])
            if read.label is None:
                record.error = f"label disagrees with the data bar: {read.reason}"
                record.text = read.result.text
                return record
        label = read.label
        assert label is not None
        if why := cut_short(engine, hit.cand.img, read.word or word, label):
            record.error = why
            record.text = read.result.text
            return record
        record.engine = read.engine
        record.value, record.unit, record.value_nm = label.value, label.unit, label.value_nm
        record.text = read.result.text
        record.confidence = round(float(read.result.confidence), 3)
        box = read.word or word
        record.label_bbox = [int(v) for v in (box.x0, box.y0, box.x1, box.y1)]
        yc = round((bar.y0 + bar.y1) / 2, 1)
        record.bar_endpoints = [round(float(bar.left), 1), yc, round(float(bar.right), 1), yc]
        record.bar_px = round(float(bar.length), 2)
        record.bar_px_uncertainty = round(bar.uncertainty, 2)
        nm_per_px = float(label.value_nm) / float(bar.length)
        others: list[list[float]] = []
        record.error = _refusal(bar, nm_per_px, grey.shape[1], record.text) or self._other_scale(
            scan, _Hit(hit.cand, box, read, hit.distance), nm_per_px, others
        )
        if not record.error:
            record.ok = True
            record.nm_per_px = nm_per_px
            record.other_marks = others
        return record

    def _search(
        self,
        scan: _Scan,
        problems: list[str],
        budget: int,
        keep: Callable[[_Candidate, Word], bool] | None = None,
        quick: bool = False,
    ) -> list[_Hit]:
        """Bars with a label that parses next to them, the first one's and the bars that claim
        its label too (already read labels only), searched as :meth:`_candidates` orders them.

        ``scan.reads`` caches the recognised labels (``budget``: its size at most);
        ``problems`` gathers why labels were left; ``keep`` leaves out candidates and their
        words; with ``quick``, a word is read in full only when a first glance at it reads a
        label or part of one (most words away from the scale bar are texture)."""
        found: list[_Hit] = []
        reads, engines = scan.reads, scan.engines
        for cand in self._candidates(scan, lambda: bool(found)):
            for word in find_label_words(cand.img, cand.bar, scan.strip)[: self.words_per_bar]:
                if keep is not None and not keep(cand, word):
                    continue
                key = (cand.polarity, word.x0, word.y0, word.x1, word.y1)
                if key not in reads:
                    if found or len(reads) >= budget:
                        continue  # after a hit, only re-check labels already read
                    look = glance(engines[0], cand.img, word) if quick else None
                    reads[key] = look or read_label(engines, cand.img, word)
                read = reads[key]
                if read.label is None:
                    if read.reason:
                        problems.append(read.reason)
                    continue
                if cand.bar.length < MIN_BAR_CHARS * word.height or _within(cand.bar, word):
                    continue  # a bar shorter than MIN_BAR_CHARS or in the word: glyph strokes
                if _on_label_ground(scan.grey, cand.bar, word):
                    continue  # the bar has the colour the label is printed on: its box
                box = read.word or word  # the widened word a partial reading was re-read on
                part = place_word(label_part(box, read.result.text, read.label.text), cand.bar)
                if not part.place or (cand.bar.style == "split" and part.place != "inside"):
                    continue  # the label text itself is not next to (or inside) this bar
                if read.label.ambiguous:
                    problems.append(f"label {read.label.text!r}: {read.label.reason}")
                    continue
                found.append(_Hit(cand, word, read, part.distance))
                break
        return found

    def _other_scale(
        self, scan: _Scan, hit: _Hit, nm_per_px: float, agreeing: list[list[float]]
    ) -> str:
        """Why the reading of ``hit`` cannot stand for the whole image, or "": another scale
        bar elsewhere (away from the hit's bar and label) that reads a pixel size of its own,
        different by more than ``agree`` plus both bars' relative uncertainty – a figure of
        several panels or an inset at another magnification, where one pixel size would be
        wrong for part of the image. At most ``max_other_reads`` more words are looked at
        (labels already read and bars already found cost nothing again). Bars that agree go to
        ``agreeing`` with their labels, as boxes (another panel of the same magnification)."""
        taken = [hit.cand.bar.box, (hit.word.x0, hit.word.y0, hit.word.x1, hit.word.y1)]
        margin = int(round(hit.word.height))

        def apart(cand: _Candidate, word: Word) -> bool:
            boxes = (cand.bar.box, (word.x0, word.y0, word.x1, word.y1))
            return not any(_overlap(b, t, margin) for b in boxes for t in taken)

        budget = len(scan.reads) + self.max_other_reads
        for other in self._search(scan, [], budget, keep=apart, quick=True):
            label, bar = other.read.label, other.cand.bar
            assert label is not None and hit.read.label is not None
            other_nm = label.value_nm / bar.length
            if _refusal(bar, other_nm, scan.grey.shape[1], label.text, to_1_percent=False):
                continue
            tolerance = self.agree + _relative_u(bar) + _relative_u(hit.cand.bar)
            if abs(other_nm / nm_per_px - 1) <= tolerance:
                word = other.read.word or other.word
                boxes = (bar.box, (word.x0, word.y0, word.x1, word.y1))
                agreeing += [[int(v) for v in b] for b in boxes]
                continue
            return (
                f"two scale bars disagree: {hit.read.label.text!r} gives {nm_per_px:.4g} "
                f"nm/px, {label.text!r} {other_nm:.4g} nm/px (panels or an inset at "
                "other magnifications? measure each panel on its own or give the scale)"
            )
        return ""

    def _candidates(self, scan: _Scan, done: Callable[[], bool]) -> Iterator[_Candidate]:
        """Bars and rulers of both polarities, most promising first: first those in the bottom
        40 % of the image (data bars, most scale bars), then, unless ``done()``, the rest; then,
        unless ``done()``, the same bars again, searched for a label of the other polarity
        (:func:`_mirrored`: black text over a white bar). ``scan.stages`` keeps each stage's
        bars for a later search of the same image."""
        images = {"white": scan.grey, "black": cv2.bitwise_not(scan.grey)}
        examined: list[_Candidate] = []
        for stage in range(2):
            if done():
                return
            if stage not in scan.stages:
                scan.stages[stage] = self._stage_candidates(scan, images, stage)
            examined += scan.stages[stage]
            yield from scan.stages[stage]
        for cand in examined:
            if done():
                return
            other = "black" if cand.polarity == "white" else "white"
            yield replace(cand, bar=_mirrored(cand.bar), img=images[other], polarity=other)

    def _stage_candidates(
        self, scan: _Scan, images: dict[str, np.ndarray], stage: int
    ) -> list[_Candidate]:
        """The ``max_bars`` most promising bars of the bottom band (``stage`` 0) or of the rest
        (1), in both polarities."""
        grey, strip = scan.grey, scan.strip
        height = grey.shape[0]
        split = int(BOTTOM * height)
        y0, y1 = ((max(0, split - BAND_MARGIN), height), (0, split + BAND_MARGIN))[stage]
        cands: list[_Candidate] = []
        for polarity, img in images.items():
            sub = img[y0:y1]
            bars = find_bars(sub) + (find_rulers(sub) if y0 > 0 else [])
            for bar in bars:
                bar = bar.shifted(y0)
                if bar.length >= MIN_BAR_PX:
                    cands.append(_Candidate(bar, img, polarity, _priority(bar, strip, grey), stage))
        # a drop shadow finds a label drawn in its polarity; the bar it shadows is measured
        shadowed = [
            next(
                (o.bar for o in cands if o.polarity != c.polarity and _shadow_of(c.bar, o.bar)),
                None,
            )
            for c in cands
        ]
        for c, bar in zip(cands, shadowed, strict=True):
            if bar is not None:
                c.bar = replace(bar, fg=c.bar.fg, bg=c.bar.bg)
        cands.sort(key=lambda c: -c.priority)
        return cands[: self.max_bars]


def _refusal(bar: Bar, nm_per_px: float, width: int, text: str, to_1_percent: bool = True) -> str:
    """Why ``bar`` read as ``nm_per_px`` cannot calibrate an image ``width`` px wide, or ""
    (without ``to_1_percent``, a short or blurred bar is no reason: its length is still known
    to within its uncertainty)."""
    relative = _relative_u(bar)
    if bar.style == "split" and bar.ticks is None:
        return "bar split by its label but its end ticks are not resolved"
    if to_1_percent and bar.length < MIN_BAR_PX:
        return f"bar too short to measure to 1 % ({bar.length:.1f} px)"
    if to_1_percent and relative > MAX_BAR_UNCERTAINTY:
        return f"bar ends blurred: length uncertain ±{100 * relative:.1f} %"
    if not NM_PER_PX_RANGE[0] <= nm_per_px <= NM_PER_PX_RANGE[1]:
        return f"implausible pixel size {nm_per_px:.3g} nm/px"
    if nm_per_px * width > MAX_FIELD_NM:
        return (
            f"implausible field of view {nm_per_px * width / 1e6:.3g} mm for an "
            f"electron micrograph (label read as {text!r})"
        )
    return ""


def _relative_u(bar: Bar) -> float:
    """Relative uncertainty of the length of ``bar``."""
    return bar.uncertainty / bar.length


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int], margin: int) -> bool:
    """Whether boxes ``a`` and ``b`` (inclusive x0, y0, x1, y1) come within ``margin`` px."""
    return (
        a[0] <= b[2] + margin
        and b[0] <= a[2] + margin
        and a[1] <= b[3] + margin
        and b[1] <= a[3] + margin
    )


def _fitting_read(
    engines: list[BaseOCREngine], hit: _Hit, field: FieldText, width: int
) -> LabelRead:
    """The hit's reading if it fits the data bar's ``field``, else a re-read of its word with
    every engine that fits (two reads agreeing), else a refusal saying why."""
    bar = hit.cand.bar

    def conflict(label: ScaleLabel) -> str:
        return field_conflict(label.value_nm / bar.length, width, field)

    assert hit.read.label is not None
    if not conflict(hit.read.label):
        return hit.read
    return read_label(engines, hit.cand.img, hit.word, check=conflict)


def _mirrored(bar: Bar) -> Bar:
    """``bar`` as the other polarity's image sees its surroundings, for a label of that
    polarity: the ground inverted, the text as far from it as the bar is (its length, ends and
    ticks measured as they were)."""
    bg = 255.0 - bar.bg
    return replace(bar, bg=bg, fg=bg + bar.contrast)


def _within(bar: Bar, word: Word) -> bool:
    """Whether ``bar`` lies inside the box of ``word``, give or take 2 px (the bottoms of a
    line of glyphs on a textured background can pass for a thin bar; a label drawn on a bar
    lies inside the bar, not the other way round)."""
    return box_within(bar.box, (word.x0, word.y0, word.x1, word.y1), 2)


#: A bar whose grey level is this share of its contrast or less from the ground of its label
#: is of the label's ground (:func:`_on_label_ground`; the bands of label boxes in synthetic
#: seeds 1015 and 5199: 0.0, the bars of ``benchmarks/scalebar.py``'s sets: 0.5 and more).
LABEL_GROUND = 0.25


def _on_label_ground(grey: np.ndarray, bar: Bar, word: Word) -> bool:
    """Whether ``bar`` has the grey level of the ground that ``word`` is printed on (within
    :data:`LABEL_GROUND` of its contrast): then it is a band of the box the label is printed on
    – between the text and the real bar, or between the real bar and the edge of the box – and
    the "word" found in its polarity is the gaps and counters of the real text. A scale bar
    stands out from the ground of its label; a label drawn on the bar itself lies inside the
    bar and is not affected, nor is a dotted ruler (no solid line).

    The ground is the median grey of the word's box with the margin its crop gets
    (:func:`~nanokit.scalebar.label.margin_box`), over the bar's columns only where the word
    reaches past both ends of the bar (it took in particles beside a boxed label); the bar's
    level the median grey of its line
    between its ends (the halves of a split bar, the top and bottom lines of an outlined one).
    """
    if bar.style == "ruler" or box_within((word.x0, word.y0, word.x1, word.y1), bar.box, 2):
        return False
    y0, y1, x0, x1 = margin_box(word, grey.shape)
    cols = np.arange(int(np.ceil(bar.left)), int(np.floor(bar.right)) + 1)
    if bar.gap is not None:
        cols = cols[(cols < bar.gap[0]) | (cols > bar.gap[1])]
    if not cols.size:
        return False
    # over the bar's columns where the word spans more (particles beside a boxed label)
    x0, x1 = (max(x0, int(cols[0])), min(x1, int(cols[-1]) + 1)) if _spans(word, bar) else (x0, x1)
    ground = float(np.median(grey[y0:y1, x0:x1]))
    rows = [bar.y0, bar.y1] if bar.style == "outlined" else list(range(bar.y0, bar.y1 + 1))
    level = float(np.median(grey[np.ix_(rows, cols)]))
    return abs(ground - level) <= LABEL_GROUND * bar.contrast


def _spans(word: Word, bar: Bar) -> bool:
    """Whether ``word`` reaches past both ends of ``bar`` (a word of glyphs grouped with the
    particles or marks beside its box)."""
    return word.x0 < bar.left and word.x1 > bar.right


def _shadow_of(shadow: Bar, bar: Bar) -> bool:
    """Whether ``shadow`` is a drop shadow of ``bar``, found in the other polarity: it runs along
    the bar (80 % of the longer one overlapping: a short bar inside a wide band, such as a
    ticked bar on a data-bar strip, is no shadow of the band), lies within 2 px above or below
    it, and is thinner and of less contrast (each measured in its own polarity)."""
    overlap = min(shadow.x1, bar.x1) - max(shadow.x0, bar.x0) + 1
    gap = max(shadow.y0 - bar.y1, bar.y0 - shadow.y1) - 1
    return (
        overlap >= 0.8 * max(shadow.width, bar.width)
        and gap <= 2
        and shadow.thickness < bar.thickness
        and shadow.contrast < bar.contrast
    )


def _priority(bar: Bar, strip: tuple[int, int] | None, grey: np.ndarray) -> float:
    """How likely ``bar`` is the scale bar: style, contrast, inside the data bar, low, long."""
    height, width = grey.shape
    in_strip = strip is not None and strip[0] <= bar.y0 <= strip[1]
    return (
        bar.contrast / 255
        + (1.0 if bar.style == "ruler" else 0.6 if bar.ticks is not None else 0.0)
        + (0.5 if in_strip else 0.0)
        + 0.3 * bar.y0 / height
        + 0.2 * min(1.0, bar.width / (0.1 * width))
    )


def _no_label_reason(reads: dict[tuple[str, int, int, int, int], LabelRead]) -> str:
    """Why nothing was found: no candidate at all, a label read but no bar that fits it, or
    the texts that were read."""
    if not reads:
        return "no scale bar with a text label found"
    parsed = list(dict.fromkeys(r.label.text for r in reads.values() if r.label is not None))
    if parsed:
        labels = ", ".join(repr(t) for t in parsed[:2])
        return f"label {labels} read, but no bar beside it fits it"
    texts = [r.result.text for r in reads.values() if r.result.text.strip()]
    shown = ", ".join(repr(t) for t in texts[:4])
    return f"no scale-bar label could be parsed (read: {shown or 'nothing'})"
