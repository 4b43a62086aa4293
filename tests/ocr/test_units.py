"""The one unit parser: units, decimals, OCR confusions, data-bar distractors, garbage."""

from __future__ import annotations

import pytest

from nanokit.ocr.units import LABEL_ALLOWLIST, compact_label, parse_scale_label, partial_label

# text, value, unit (None: nothing parses)
CLEAR = [
    ("500 µm", 500, "um"),  # micro sign U+00B5
    ("500 μm", 500, "um"),  # Greek mu U+03BC, what PP-OCR outputs
    ("5um", 5, "um"),
    ("2 UM", 2, "um"),
    ("1 μum", 1, "um"),  # µ read twice
    ("100μ", 100, "um"),  # the micron
    ("200 nm", 200, "nm"),
    ("200nm", 200, "nm"),
    ("20nrn", 20, "nm"),  # rn for m
    ("10 Å", 10, "A"),
    ("10 \u212b", 10, "A"),  # angstrom sign, NFKC -> Å
    ("5 A", 5, "A"),
    ("1 mm", 1, "mm"),
    ("50 pm", 50, "pm"),  # only with reads_micro=True, see below
    ("2.5 µm", 2.5, "um"),
    ("2,5 nm", 2.5, "nm"),  # decimal comma
    ("0,500 µm", 0.5, "um"),
    ("1,000 nm", 1000, "nm"),  # thousands separator
    ("50.0um", 50.0, "um"),
    ("1.00um", 1.0, "um"),
    ("\uff11\uff10\uff10\uff4e\uff4d", 100, "nm"),  # full-width
    ("5O nm", 50, "nm"),  # O in a number is 0
    ("l00 nm", 100, "nm"),  # l in a number is 1
    ("50.Dum", 50.0, "um"),  # D for 0 after the decimal point
    ("V1 um", 1, "um"),  # stray glyph before the value
    ("x50,000 1 µm", 1, "um"),
    ("HV 5.00 kV | mag 50 000 x | WD 4.9 mm | HFW 2.98 µm | det TLD | 1 µm", 1, "um"),
    ("S-4800 5.0kV 8.0mm x30.0k SE(U) 1.00um", 1.0, "um"),  # Hitachi: mm without WD
    ("SEI 15kV X10,000 1µm WD 10mm", 1, "um"),  # JEOL
    ("EHT = 5.00 kV  WD = 4.0 mm  Mag = 50.00 K X  200nm", 200, "nm"),  # Zeiss
    ("View field: 41.5 µm  Det: SE  10 µm", 10, "um"),  # Tescan
    ("I Probe = 10 pA  100 nm", 100, "nm"),
]
NOTHING = [
    "",
    "hello",
    "x50,000",
    "HV 5.0 kV",
    "WD 8.1 mm",
    "Pixel Size = 7.3 nm",
    "Mag = 50.00 K X",
    "Signal A = InLens",
    "12:30 PM",
    "0 nm",
    "lum",  # no digit at all: not guessed as 1 µm
    "nm",
    "×5000 nm",
]


@pytest.mark.parametrize(("text", "value", "unit"), CLEAR)
def test_clear_labels(text: str, value: float, unit: str) -> None:
    label = parse_scale_label(text, reads_micro=True)
    assert label is not None
    assert (label.value, label.unit) == (pytest.approx(value), unit)
    assert not label.ambiguous, label.reason
    factor = {"pm": 1e-3, "A": 0.1, "nm": 1.0, "um": 1e3, "mm": 1e6}[unit]
    assert label.value_nm == pytest.approx(value * factor)


@pytest.mark.parametrize("text", NOTHING)
def test_no_label(text: str) -> None:
    assert parse_scale_label(text) is None


@pytest.mark.parametrize("text", ["5Lum", "5L μm", "1d nm", "i0 nm", "5i um"])
def test_other_case_of_a_digit_look_alike_is_no_number(text: str) -> None:
    # O, o, l, I and D stand for digits; their other cases (L, d, i) are no digits and
    # raised ValueError from a coloured, JPEG-stored label read '5L...'
    assert parse_scale_label(text) is None
    partial = partial_label(text)
    assert partial is None or partial.value is None


def test_label_text_is_the_matched_span() -> None:
    label = parse_scale_label("WD 4 mm | 500 µm | det")
    assert label is not None and label.text == "500 µm"


def test_pm_is_ambiguous_from_an_engine_without_micro() -> None:
    label = parse_scale_label("500 pm", reads_micro=False)
    assert label is not None and label.ambiguous
    assert (label.value, label.unit) == (500, "pm")  # as read, not rewritten
    assert (500, "um") in label.alternatives
    assert "µm" in label.reason


@pytest.mark.parametrize(("text", "value"), [("500 ym", 500), ("5000m", 500), ("5Om", 5)])
def test_misread_micro_is_um_but_ambiguous(text: str, value: float) -> None:
    label = parse_scale_label(text)
    assert label is not None and label.ambiguous
    assert (label.value, label.unit) == (value, "um")


def test_two_different_lengths_are_ambiguous() -> None:
    label = parse_scale_label("200 nm 500 nm")
    assert label is not None and label.ambiguous
    assert label.value == 200 and (500, "nm") in label.alternatives
    same = parse_scale_label("1 µm 1000 nm")  # the same length twice is fine
    assert same is not None and not same.ambiguous


def test_compact_label_and_allowlist() -> None:
    assert compact_label("500 µm") == compact_label("500μm") == "500um"
    assert {"µ", "μ", "Å", ",", "."} <= set(LABEL_ALLOWLIST)
    assert "x" not in LABEL_ALLOWLIST


@pytest.mark.parametrize(
    "text", ["O05 UM", "05 nm", "005nm", "0 5um", "O 5 nm", ". 5 μm", "0. 5um"]
)
def test_a_number_that_lost_its_decimal_point_is_no_label(text: str) -> None:
    """Tesseract read emps_train 8b40ed2a82's "0.5 µm" as 'O05 UM': 5 µm, 10x off. No label
    prints a leading zero or a zero apart from its number; what is left of it is no number."""
    from nanokit.ocr.units import partial_label

    assert parse_scale_label(text) is None
    part = partial_label(text)
    assert part is None or part.value is None


@pytest.mark.parametrize(
    "text",
    ["5 1/nm", "2 nm-1", "5 nm⁻¹", "5 nm^-1", "5 nm^(-1)", "5 nm-l", "0.5 Å-1", "2 1/Å"],
)
def test_a_reciprocal_length_is_no_label(text: str) -> None:
    """Diffraction patterns and FFTs carry bars of reciprocal length: '2 nm-1' is no 2 nm."""
    from nanokit.ocr.units import is_reciprocal

    assert parse_scale_label(text) is None
    assert is_reciprocal(text)


@pytest.mark.parametrize(
    "text", ["200 nm", "1 µm", "50 nm 1", "100 nm-", "x 1,000 10 µm", "100μm1"]
)
def test_a_length_is_not_reciprocal(text: str) -> None:
    """'100μm1': Zeiss's "100 µm" with a tick of its bar read as 1."""
    from nanokit.ocr.units import is_reciprocal

    assert parse_scale_label(text) is not None
    assert not is_reciprocal(text)


@pytest.mark.parametrize("text", ["d = 0.34 nm", "d=0.25nm", "Ø 20 nm", "diameter: 25 nm"])
def test_a_measurement_in_the_figure_is_no_scale_label(text: str) -> None:
    """A lattice spacing or a particle's size written beside a line across it is no scale bar."""
    assert parse_scale_label(text) is None
    assert partial_label(text) is None
