"""Reading one label: re-read with other preparations of the crop until the reading is whole
and agrees with what the earlier reads saw.

A partial reading (``500ni``, ``10n``, ``nm`` alone) is re-read, and a later whole reading is
taken only if it agrees with the part (same number, a unit with the same first letter); an
ambiguous one only if a re-read settles it on one of its readings. A value that no scale bar
carries (``2.9 µm``: scale bars are 1, 1.5, 2, 2.5, 3, ... 9.5 times a power of ten) counts as
a partial reading of its unit. Where the part held no number, and for units that OCR makes
out of others (``mm`` from ``nm`` or ``µm``), a reading is taken only when two preparations
agree. A partial reading whose number or unit is missing (the text mask lost the thin or faint
glyphs of a small label) is re-read on the word widened on that side; such a reading is taken
only when two reads agree. After the first engine's preparations, the re-read engines (others
installed, e.g. tesseract, easyocr) read the same crops restricted to the label's alphabet
(digits, separators, unit letters). A ``check`` (the data bar's field of view) rejects readings
that cannot be right; after a rejected reading, a reading is taken only when two reads agree.
A reading that nothing confirms is refused, with the reason, never used.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..errors import NanokitError
from ..ocr.engines.base import BaseOCREngine, OcrResult
from ..ocr.units import (
    LABEL_ALLOWLIST,
    PartialLabel,
    ScaleLabel,
    parse_scale_label,
    partial_label,
)
from .label import Word, label_crops, widened

#: Units taken only when two differently prepared crops read the same label.
CONFIRM_UNITS = ("mm",)


@dataclass
class LabelRead:
    """The outcome of reading one word.

    Attributes:
        result: the engine's read that gave ``label`` (else the first read).
        label: the parsed label; None when none parsed or the reads were refused.
        reason: why the reads were refused ('' otherwise).
        engine: the name of the engine that gave ``result``.
        word: the widened word that was read, when not the word asked for.
    """

    result: OcrResult
    label: ScaleLabel | None
    reason: str = ""
    engine: str = ""
    word: Word | None = None


def read_label(
    engines: Sequence[BaseOCREngine],
    img: np.ndarray,
    word: Word,
    check: Callable[[ScaleLabel], str] | None = None,
) -> LabelRead:
    """Recognise ``word`` in ``img`` (foreground bright) with the first of ``engines``, then
    the others as re-readers, as the module says; ``check`` gives why a label cannot be right
    ('' when it can)."""
    first: LabelRead | None = None
    accepted: LabelRead | None = None
    partial: PartialLabel | None = None
    partial_text = ""
    ambiguous: ScaleLabel | None = None
    rejected = ""
    for read in _reads(engines, img, word):
        first = first or read
        label, text = read.label, read.result.text
        if label is None:
            if partial is None and (partial := partial_label(text)) is not None:
                partial_text = text
            continue
        if label.ambiguous:
            ambiguous = ambiguous or label
            continue
        if not round_value(label.value):
            if partial is None:
                partial, partial_text = PartialLabel(None, label.unit_start), text
            continue
        if check is not None and (why := check(label)):
            rejected = rejected or f"label {text!r}: {why}"
            continue
        if not _agrees(label, partial, ambiguous):
            continue
        if accepted is None:
            accepted = read
            # taken at once unless OCR confuses its unit, a part without a number or a
            # rejected reading came before, or it was read on a widened word
            whole_part = partial is None or partial.value is not None
            confirm = label.unit in CONFIRM_UNITS or rejected or read.word is not None
            if whole_part and not confirm:
                return accepted
        elif accepted.label is not None and label.value_nm == accepted.label.value_nm:
            return accepted
        else:
            return _refused(accepted, f"label read as {accepted.result.text!r} and {text!r}")
    if accepted is not None:
        return _refused(accepted, f"label {accepted.result.text!r} not confirmed by a re-read")
    assert first is not None
    if rejected:
        return _refused(first, rejected)
    if first.label is not None and not first.label.ambiguous:  # a value no scale bar carries
        return _refused(first, f"label {first.result.text!r}: not a scale-bar value")
    if partial is not None and first.label is None:
        first.reason = f"label only partly read ({partial_text!r}); no re-read completed it"
    return first


def _reads(engines: Sequence[BaseOCREngine], img: np.ndarray, word: Word) -> Iterator[LabelRead]:
    """Reads of every preparation of the crop: the first engine as is, then (after a partial
    reading) on the word widened where the reading lacks its number or unit, then the other
    engines restricted to :data:`~nanokit.ocr.units.LABEL_ALLOWLIST` (an engine that cannot
    load is skipped)."""
    first, *others = engines
    wide: Word | None = None
    for read in _word_reads(first, img, word):
        yield read
        wide = wide or _widened(read, word, img.shape[1])
    if wide is not None:
        for read in _word_reads(first, img, wide):
            yield replace(read, word=wide)
    for engine in others:
        try:
            yield from _word_reads(engine, img, word, LABEL_ALLOWLIST)
        except NanokitError:
            continue


def _word_reads(
    engine: BaseOCREngine, img: np.ndarray, word: Word, allowlist: str | None = None
) -> Iterator[LabelRead]:
    """``engine``'s reads of every preparation of ``word``'s crop."""
    reads_micro = bool(getattr(engine, "reads_micro", False))
    for crop in label_crops(img, word):
        result = engine.read(crop, allowlist)
        label = parse_scale_label(result.text, reads_micro=reads_micro)
        yield LabelRead(result, label, engine=engine_name(engine))


def _widened(read: LabelRead, word: Word, width: int) -> Word | None:
    """``word`` widened to the left when ``read`` is a unit without its number, to the right
    when it is a number without its whole unit; None when it is no such partial reading."""
    part = partial_label(read.result.text) if read.label is None else None
    if part is None:
        return None
    return widened(word, left=part.value is None, right=part.value is not None, width=width)


def engine_name(engine: BaseOCREngine) -> str:
    """The name records give ``engine``: its short name, else its class name."""
    return str(getattr(engine, "name", "") or type(engine).__name__)


def round_value(value: float) -> bool:
    """Whether ``value`` is one a scale bar carries: 1, 1.5, 2, ... 9.5 times a power of ten."""
    mantissa = value / 10 ** math.floor(math.log10(value))
    return abs(2 * mantissa - round(2 * mantissa)) < 1e-6


def _agrees(label: ScaleLabel, partial: PartialLabel | None, ambiguous: ScaleLabel | None) -> bool:
    """Whether a whole reading agrees with the part and the ambiguity seen before."""
    if partial is not None and not partial.admits(label):
        return False
    if ambiguous is None:
        return True
    readings = {(ambiguous.value, ambiguous.unit), *ambiguous.alternatives}
    return (label.value, label.unit) in readings


def _refused(read: LabelRead, reason: str) -> LabelRead:
    return LabelRead(read.result, None, reason, read.engine)
