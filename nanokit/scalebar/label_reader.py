"""Reading one label: re-read with other preparations of the crop until the reading is whole
and agrees with what the earlier reads saw.

A partial reading (``500ni``, ``10n``, ``nm`` alone) is re-read, and a later whole reading is
taken only if it agrees with the part (same number, a unit with the same first letter); an
ambiguous one only if a re-read settles it on one of its readings. A value that no scale bar
carries (``2.9 µm``: scale bars are 1, 1.5, 2, 2.5, 3, ... 9.5 times a power of ten) counts as
a partial reading of its unit. Where the part held no number, and for units that OCR makes
out of others (``mm`` from ``nm`` or ``µm``; ``A``, Å, from a faint ``nm``), a reading is taken
only when two preparations agree, and such a unit is also re-read by the re-read engines: one
that reads another value (``200 nm`` where the first engine read ``200mm`` twice), or any read
of the same number with another unit (``200n``: the ``n`` of ``200 nm`` over a dark particle),
refuses it. A partial reading whose number or unit is missing (the text mask lost the thin or
faint glyphs of a small label) is re-read on the word widened on that side; such a reading is
taken only when two reads agree. After the first engine's preparations, the re-read engines (others
installed, e.g. tesseract, easyocr) read the same crops restricted to the label's alphabet
(digits, separators, unit letters). A ``check`` (the data bar's field of view) rejects readings
that cannot be right; after a rejected reading, a reading is taken only when two reads agree.
A reading that nothing confirms is refused, with the reason, never used.

One engine can misread a label the same way in every preparation (``7um`` for 1 µm) or in one
of them (``350 nm`` for 50 nm), so a whole reading is taken when a second preparation reads it
too, or when its engine's other preparations read no other number; one engine's word is not
enough when

- its preparations read different numbers (``41 um``, then ``4 um``: any number read, a value no
  scale bar carries included), or
- the value is an unusual one for a scale bar (mantissa outside :data:`USUAL_MANTISSAS`, e.g.
  7 or 9: where OCR's digit confusions 1→7, 5→9, 3→8 land).

Such a reading is taken only when another engine (a re-read engine) reads the same value, and
refused when it reads another one or none.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..errors import NanokitError
from ..ocr.engines.base import BaseOCREngine, OcrResult
from ..ocr.units import (
    LABEL_ALLOWLIST,
    PartialLabel,
    ScaleLabel,
    is_reciprocal,
    parse_scale_label,
    partial_label,
)
from .label import Word, label_crops, widened

#: Units taken only when two differently prepared crops read the same label, and read by the
#: re-read engines even then (another engine's other value refuses them).
CONFIRM_UNITS = ("mm", "A")
#: Mantissas of the values scale bars usually carry (1-2-5, with 1.5, 2.5, 3, 4). Any other
#: round value (7 µm, 90 nm) is taken only when a second engine reads it too.
USUAL_MANTISSAS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0)


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
    numbers: dict[str, dict[float, str]] = {}  # engine -> value_nm -> text of the numbers read
    pending = False  # the accepted reading needs a second read that agrees
    for read in _reads(engines, img, word):
        if is_reciprocal(read.result.text):
            return _refused(
                read,
                f"label read as {read.result.text!r}: a reciprocal length (a diffraction "
                "pattern or FFT), no length in the image",
            )
        if (
            accepted is not None
            and not pending
            and read.engine != accepted.engine
            and not _second_engine_needed(accepted, numbers)
            and not _unit_confused(accepted)
        ):
            return accepted  # its engine's other preparations read no other number
        first = first or read
        label, text = read.label, read.result.text
        if label is None:
            part = partial_label(text)
            if accepted is not None and _other_unit(part, accepted):
                return _refused(accepted, f"label read as {accepted.result.text!r} and {text!r}")
            if partial is None and part is not None:
                partial, partial_text = part, text
            continue
        if label.ambiguous:
            ambiguous = ambiguous or label
            continue
        if not round_value(label.value):
            numbers.setdefault(read.engine, {}).setdefault(label.value_nm, text)
            if partial is None:
                partial, partial_text = PartialLabel(None, label.unit_start), text
            continue
        if check is not None and (why := check(label)):
            rejected = rejected or f"label {text!r}: {why}"
            continue
        numbers.setdefault(read.engine, {}).setdefault(label.value_nm, text)
        if not _agrees(label, partial, ambiguous):
            continue
        if accepted is None:
            accepted = read
            # a second read must agree where OCR confuses its unit, a part without a number or
            # a rejected reading came before, or it was read on a widened word
            whole_part = partial is None or partial.value is not None
            confirm = label.unit in CONFIRM_UNITS or rejected or read.word is not None
            pending = not whole_part or bool(confirm)
            continue
        assert accepted.label is not None
        same_engine = read.engine == accepted.engine
        if label.value_nm == accepted.label.value_nm:
            if not same_engine:
                return accepted
            if not _second_engine_needed(accepted, numbers):
                if not _unit_confused(accepted):
                    return accepted
                pending = False  # confirmed; the re-read engines may still read another unit
        elif not same_engine:
            return _refused(accepted, f"label read as {accepted.result.text!r} and {text!r}")
        # the accepted engine read another number: now only another engine can confirm it
    if accepted is not None:
        if why := _second_engine_needed(accepted, numbers):
            return _refused(accepted, f"{why}; no other engine read it")
        if pending:
            return _refused(accepted, f"label {accepted.result.text!r} not confirmed by a re-read")
        return accepted
    assert first is not None
    if rejected:
        return _refused(first, rejected)
    if first.label is not None and not first.label.ambiguous:  # a value no scale bar carries
        return _refused(first, f"label {first.result.text!r}: not a scale-bar value")
    if partial is not None and first.label is None:
        first.reason = f"label only partly read ({partial_text!r}); no re-read completed it"
    return first


def _unit_confused(accepted: LabelRead) -> bool:
    """Whether ``accepted``'s unit is one OCR makes out of others (:data:`CONFIRM_UNITS`), so
    that the re-read engines read it too even after two preparations agreed."""
    return accepted.label is not None and accepted.label.unit in CONFIRM_UNITS


def _other_unit(part: PartialLabel | None, accepted: LabelRead) -> bool:
    """Whether ``part`` (a partial reading after ``accepted``) reads the same number with
    another unit where ``accepted``'s unit is one OCR makes out of others (``200n`` after
    ``200mm``)."""
    label = accepted.label
    if part is None or label is None or not _unit_confused(accepted):
        return False
    same_number = part.value is None or part.value == label.value
    return same_number and part.unit_start not in ("", label.unit_start)


def _second_engine_needed(accepted: LabelRead, numbers: dict[str, dict[float, str]]) -> str:
    """Why ``accepted`` needs another engine to read it too: its engine read other numbers in
    other preparations (``numbers``: engine -> value_nm -> text), or its value is an unusual one
    for a scale bar; '' when it needs none."""
    label = accepted.label
    assert label is not None
    seen = numbers.get(accepted.engine, {})
    others = [text for value, text in seen.items() if value != label.value_nm]
    if others:
        texts = [repr(t) for t in [accepted.result.text, *others[:2]]]
        return f"{accepted.engine} read the label as {', '.join(texts[:-1])} and {texts[-1]}"
    if not usual_value(label.value):
        return f"label {accepted.result.text!r}: an unusual scale-bar value"
    return ""


def glance(engine: BaseOCREngine, img: np.ndarray, word: Word) -> LabelRead | None:
    """A quick look at ``word``: None when ``engine``'s read of the first preparation of its
    crop is a label or part of one (worth :func:`read_label`), else that read (no label)."""
    read = next(_word_reads(engine, img, word))
    return None if read.label is not None or partial_label(read.result.text) else read


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


def cut_short(engine: BaseOCREngine, img: np.ndarray, word: Word, label: ScaleLabel) -> str:
    """Why ``label``, read on ``word`` of ``img``, may have lost the start of its number: the
    word widened to the left reads the same unit with a smaller number that ends in its digits
    (``0.2 µm`` where ``2 µm`` was read: a small label's ``0.`` left out of the word); ''
    where it does not. A larger one is OCR's own loss (``20μm`` for ``2.0μm``, a tick read as
    the ``1`` of ``1100 nm``)."""
    wide = widened(word, left=True, right=False, width=img.shape[1])
    if wide.x0 == word.x0:
        return ""
    other = next(_word_reads(engine, img, wide)).label  # the crop as cut: one read
    if other is None or other.ambiguous or other.unit != label.unit or other.value >= label.value:
        return ""
    if not _digits(other.text).endswith(_digits(label.text)):
        return ""
    return f"label read as {label.text!r}, and as {other.text!r} with what lies to its left"


def _digits(text: str) -> str:
    """The digits of a label's text (``0.2 µm`` -> ``02``)."""
    return re.sub(r"\D", "", text)


def engine_name(engine: BaseOCREngine) -> str:
    """The name records give ``engine``: its short name, else its class name."""
    return str(getattr(engine, "name", "") or type(engine).__name__)


def round_value(value: float) -> bool:
    """Whether ``value`` is one a scale bar carries: 1, 1.5, 2, ... 9.5 times a power of ten."""
    mantissa = value / 10 ** math.floor(math.log10(value))
    return abs(2 * mantissa - round(2 * mantissa)) < 1e-6


def usual_value(value: float) -> bool:
    """Whether ``value`` is one scale bars usually carry: :data:`USUAL_MANTISSAS` times a power
    of ten (1, 2, 5, 30, 250 nm; not 7 or 90)."""
    mantissa = value / 10 ** math.floor(math.log10(value))
    return any(abs(mantissa - m) < 1e-6 for m in USUAL_MANTISSAS) or abs(mantissa - 10) < 1e-6


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
