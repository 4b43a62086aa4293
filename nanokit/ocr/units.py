"""The one parser that turns OCR text into a scale-bar label (value and unit), for every engine.

Units are normalised to ``pm, A, nm, um, mm`` (µ U+00B5, μ U+03BC and ``u`` all mean ``um``;
``Å`` is ``A``). Decimal points and decimal commas parse; a comma followed by exactly three digits
after a non-zero integer part is a thousands separator (``1,000 nm``).

Known OCR confusions are repaired only where the reading is unambiguous (``O``/``o``/``D`` and
``l``/``I`` inside a number that has a digit are ``0`` and ``1``; ``rn`` is ``m``; ``μum`` is
``um``; a lone ``µ`` after a number is the micron). Where a
confusion leaves two readings, the label is returned with ``ambiguous=True``, a reason and the
alternatives, and the caller settles it (a second engine, a constrained re-read, geometry):

- ``pm`` from an engine that cannot output µ may be a misread ``µm``;
- ``ym``, ``0m`` and ``Om`` are a misread µ (never a unit of their own), so they are read as
  ``um`` but still marked ambiguous;
- several different lengths left in one text.

Instrument data-bar fields that carry a length but are not the bar label are skipped: a value
right after ``WD``, ``HFW``, ``View field``, ``Pixel size``, ``Width`` ..., or glued to ``x`` or
``×`` (magnification, ``x50,000``); when a micrometre/nanometre label is present, ``mm`` values (working
distances printed without ``WD``, as Hitachi does) are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Nanometres per unit, for the normalised units of SPEC.
NM_PER_UNIT: dict[str, float] = {"pm": 1e-3, "A": 0.1, "nm": 1.0, "um": 1e3, "mm": 1e6}
#: Unit spellings of instrument metadata (not OCR) -> normalised unit; metres included.
_METADATA_UNITS = {"m": 1e9, "mm": 1e6, "um": 1e3, "nm": 1.0, "pm": 1e-3, "a": 0.1}

#: The characters a scale label may contain (digits, separators, unit letters, µ, μ, Å).
LABEL_ALLOWLIST = "0123456789.,µμunmpAÅ "

# number: digits with O/o/D/l/I confusions (checked to hold a real digit), one optional separator;
# case-sensitive inside a case-insensitive label (``5L``, ``1d`` are no numbers).
_NUMBER = r"(?-i:[0-9OolID]+(?:[.,][0-9OolID]+)?)"
# unit spellings, longest first; case-insensitive except the angstrom 'A'.
_UNIT = r"[uμ]{1,2}\s?m|μ|n\s?m|nrn|m\s?m|rnrn|p\s?m|y\s?m|[0O]m|(?-i:Å|A)"
_LABEL = re.compile(
    rf"(?<![0-9.,:×xX])(?P<number>{_NUMBER})\s*(?P<unit>{_UNIT})(?![A-Za-z])", re.IGNORECASE
)
# data-bar fields whose value is a length but not the bar's label; a figure's measurements
# (``d = 0.34 nm`` lattice spacings, ``Ø 20 nm``, ``diameter: 25 nm`` across a particle).
_CONTEXT = re.compile(
    r"(?:\b(?:WD|HFW|VFW|FOV|HV|EHT|Mag|Width|Height|View\s*field|Field\s*of\s*view|"
    r"Pixel\s*size|Aperture(?:\s*size)?|Probe|Spot|Dwell|Depth|Diameter|Thickness|Spacing)"
    r"\s*[:=]?|\bd\s*[:=]|[Ø⌀])\s*$",
    re.IGNORECASE,
)
_CONTEXT_WINDOW = 24
# right after a length unit, an inverse exponent: ``nm-1``, ``nm⁻¹`` (NFKC: ``nm−1``),
# ``nm^-1``, ``nm^(-1)``, ``nm-l`` (a ``1`` glued to the unit may be a tick: ``100μm1``).
_INVERSE = re.compile(r"\s*(?:\^\s*\(?\s*)?[-−–]\s*[1lI](?![0-9])")
# a reciprocal unit written as a fraction: ``1/nm`` (DigitalMicrograph's diffraction bars).
_PER_UNIT = re.compile(r"(?<![0-9.,])1\s*/\s*(?:[uμ]m|nm|pm|Å|A)(?![A-Za-z])")
_MISREAD_MICRO = {"y": "'ym': a misread µm", "0": "'0m': a misread µm", "o": "'Om': a misread µm"}


@dataclass(frozen=True)
class ScaleLabel:
    """A scale-bar label parsed from OCR text.

    Attributes:
        value: the printed number (``50.0`` for "50.0 µm").
        unit: one of ``pm, A, nm, um, mm``.
        value_nm: the length in nm.
        text: the part of the input text that holds the label, as read.
        ambiguous: True when an OCR confusion leaves more than one reading.
        reason: why it is ambiguous (empty otherwise).
        alternatives: other (value, unit) readings the caller must rule out.
    """

    value: float
    unit: str
    value_nm: float
    text: str
    ambiguous: bool = False
    reason: str = ""
    alternatives: tuple[tuple[float, str], ...] = ()

    @property
    def unit_start(self) -> str:
        """The unit's first letter, lower case (``u`` for µm, ``a`` for Å)."""
        return self.unit[0].lower()


def normalise_text(text: str) -> str:
    """NFKC: micro sign µ -> Greek μ, full-width digits -> ASCII, angstrom sign -> Å."""
    return unicodedata.normalize("NFKC", text)


def unit_nm(unit: str) -> float | None:
    """Nanometres per ``unit`` as instruments write it in metadata (``µm``, ``um``, ``nm``,
    ``Å``, ``m``, ...); None for an empty or unknown unit (uncalibrated axes, pixels)."""
    key = compact_label(unit).lower().replace("å", "a")
    return _METADATA_UNITS.get(key)


def compact_label(text: str) -> str:
    """``text`` normalised, μ written ``u``, without white space: "500 µm" -> "500um"."""
    return "".join(normalise_text(text).replace("μ", "u").split())


def is_reciprocal(text: str) -> bool:
    """Whether ``text`` holds a reciprocal length (``5 nm-1``, ``2 nm⁻¹``, ``5 1/nm``): the scale
    of a diffraction pattern or an FFT, which gives no length in the image."""
    norm = normalise_text(text)
    return bool(_PER_UNIT.search(norm)) or any(
        _INVERSE.match(norm, m.end()) for m in _LABEL.finditer(norm)
    )


def parse_scale_label(text: str, *, reads_micro: bool = False) -> ScaleLabel | None:
    """The scale-bar label in ``text``, or None when no value with a length unit is found.

    Args:
        text: OCR output for a label crop or a data-bar strip.
        reads_micro: whether the engine can output µ/μ; if not, ``pm`` may be a misread ``µm``
            and is marked ambiguous.
    """
    norm = normalise_text(text)
    labels = [
        label
        for match in _LABEL.finditer(norm)
        if not _CONTEXT.search(norm[max(0, match.start() - _CONTEXT_WINDOW) : match.start()])
        and (label := _to_label(match, text, reads_micro)) is not None
    ]
    if any(label.unit != "mm" for label in labels):
        labels = [label for label in labels if label.unit != "mm"]
    if not labels:
        return None
    first = labels[0]
    others = tuple(dict.fromkeys((x.value, x.unit) for x in labels if x.value_nm != first.value_nm))
    if not others:
        return first
    reason = f"several lengths in the text: {', '.join(x.text for x in labels)}"
    return ScaleLabel(
        first.value,
        first.unit,
        first.value_nm,
        first.text,
        ambiguous=True,
        reason="; ".join(r for r in (first.reason, reason) if r),
        alternatives=first.alternatives + others,
    )


@dataclass(frozen=True)
class PartialLabel:
    """What a text that is not a whole label says about it: ``"500ni"``, ``"10n"``, ``"nm"``.

    Attributes:
        value: the number read (None: none, e.g. a unit alone).
        unit_start: the first letter of the unit read, ``u`` for µ/μ ('' when there is none).
    """

    value: float | None
    unit_start: str

    def admits(self, label: ScaleLabel) -> bool:
        """Whether a whole reading ``label`` agrees with this part (same number, a unit that
        starts with the same letter)."""
        return (self.value is None or self.value == label.value) and (
            not self.unit_start or self.unit_start == label.unit_start
        )


_PARTIAL = re.compile(
    r"(?<![0-9A-Za-z.,])(?P<number>[0-9]+(?:[.,][0-9]+)?)?\s*(?P<unit>[nuμpmAÅ][A-Za-zμ]{0,2})?"
    r"(?![0-9A-Za-z])"
)


def partial_label(text: str) -> PartialLabel | None:
    """The part of a scale label in a text that does not parse as one, or None.

    A number followed by a truncated or garbled unit (``500ni``, ``10n``), or a unit on its own
    (``nm``, ``µm``): such a reading is worth another try, and a later reading must agree
    with it. Text without a digit or a unit-like word (``EABAMO``) gives None.
    """
    norm = normalise_text(text).replace("µ", "μ").strip()
    for match in _PARTIAL.finditer(norm):
        number, unit = match["number"], match["unit"]
        if not number and not (unit and compact_label(unit).lower() in _UNIT_WORDS):
            continue
        if _CONTEXT.search(norm[max(0, match.start() - _CONTEXT_WINDOW) : match.start()]):
            continue
        value = _parse_number(number) if number else None
        if value is not None and value <= 0:
            continue
        if number and _lost_point(norm[: match.start()], number):
            value = None  # the number is not known
        start = unit[0].lower().replace("μ", "u").replace("å", "a") if unit else ""
        return PartialLabel(value, start)
    return None


#: Units standing alone that count as half a label (a number may have been lost).
_UNIT_WORDS = {"nm", "um", "μm", "pm", "mm"}


def _to_label(match: re.Match[str], original: str, reads_micro: bool) -> ScaleLabel | None:
    number = match["number"]
    if not any(c.isdigit() for c in number) or _INVERSE.match(match.string, match.end()):
        return None  # no digit, or a reciprocal length (``5 nm-1``)
    digits = number.translate(_DIGITS)
    if _lost_point(match.string[: match.start("number")], digits):
        return None
    value = _parse_number(digits)
    if value <= 0:
        return None
    raw_unit = "".join(match["unit"].split())
    unit, reason, alternatives = _parse_unit(raw_unit, value, reads_micro)
    return ScaleLabel(
        value=value,
        unit=unit,
        value_nm=value * NM_PER_UNIT[unit],
        text=_original_span(original, match),
        ambiguous=bool(reason),
        reason=reason,
        alternatives=alternatives,
    )


#: The letters OCR reads for digits, and those digits.
_DIGITS = str.maketrans("OolID", "00110")
#: A lone zero (or O), point or zero with its point before the number, apart from it: ``0 5 um``,
#: ``. 5 um``, ``0. 5um`` for 0.5 µm.
_LONE_ZERO = re.compile(r"(?:^|\s)(?:[0Oo]\s|[0Oo]?[.,]\s*)\s*$")


def _lost_point(before: str, digits: str) -> bool:
    """Whether a number (``digits``, OCR's letters for digits replaced) read after the text
    ``before`` lost its decimal point: no label prints a leading zero (``O05 UM`` for 0.5 µm,
    ``05``) or a lone zero or point apart from its number (``0 5um``, ``. 5 μm``)."""
    return bool(re.match(r"0\d", digits) or _LONE_ZERO.search(before))


def _parse_number(number: str) -> float:
    """Digits with at most one separator: ``1,000`` is a thousand, other commas are decimal."""
    thousands = re.fullmatch(r"([1-9]\d{0,2}),(\d{3})", number)
    if thousands:
        number = "".join(thousands.groups())
    return float(number.replace(",", "."))


def _parse_unit(
    raw: str, value: float, reads_micro: bool
) -> tuple[str, str, tuple[tuple[float, str], ...]]:
    """(unit, ambiguity reason, alternatives) for a matched unit spelling."""
    if raw in ("A", "Å"):
        return "A", "", ()
    low = raw.lower().replace("rn", "m")
    if low[0] in _MISREAD_MICRO:
        return "um", _MISREAD_MICRO[low[0]], ()
    if low == "pm" and not reads_micro:
        return (
            "pm",
            "'pm' from an engine that cannot output µ may be a misread µm",
            ((value, "um"),),
        )
    return ("um" if low[0] in "uμ" else low), "", ()


def _original_span(original: str, match: re.Match[str]) -> str:
    """The matched span in the caller's text (NFKC may change lengths, then the normal form)."""
    span = match.group(0).strip()
    if len(unicodedata.normalize("NFKC", original)) == len(original):
        return original[match.start() : match.end()].strip()
    return span
