"""The data bar's field width and magnification against the label: parsing, the rule, and
rendered images read end to end (mm on a µm field and a value the magnification rules out are
refused; the same images with a fitting label are read)."""

from __future__ import annotations

import numpy as np
import pytest

from nanokit.ocr.units import parse_scale_label
from nanokit.scalebar.field import FieldText, field_conflict, parse_field_text


@pytest.mark.parametrize(
    ("text", "hfw_nm", "mag"),
    [
        ("Mag = 50.00 K X | EHT = 10.00 kV", None, 50_000),
        ("Mag = 2.000 K X", None, 2_000),
        ("Width = 20.7 µm", 20_700, None),
        ("S-4800 10.0kV 8.5mm x100k SE(U)", None, 100_000),
        ("X50,000 10.0kV SEI", None, 50_000),
        ("2.07 μm | 50 000 x | 5.1 mm", None, 50_000),
        ("SEM MAG: 30.0 kx | View field: 41.5 μm", 41_500, 30_000),
        ("1024 x 768 | HV 10.00 kV", None, None),
        ("HFW 2,07 um | Mag 500 x | mag 600 x", 2_070, None),  # two magnifications: none
    ],
)
def test_parse_field_text(text: str, hfw_nm: float | None, mag: float | None) -> None:
    field = parse_field_text(text)
    assert field.hfw_nm == (pytest.approx(hfw_nm) if hfw_nm else None)
    assert field.mag == mag


def test_field_conflict_rule() -> None:
    width = 1000
    field = FieldText(hfw_nm=2_000.0)
    assert field_conflict(2.0, width, field) == ""
    assert field_conflict(2.0 * 1.9, width, field) == ""  # cropped or rounded: within 2 x
    assert "width of 2.00 µm" in field_conflict(20.0, width, field)  # 100 read for 10
    assert field_conflict(2e6, width, field)  # mm read for nm
    mag = FieldText(mag=50_000)  # 127 mm display: 2.54 nm/px over 1000 px
    assert field_conflict(2.54, width, mag) == ""
    assert "display" in field_conflict(25.4, width, mag)
    assert "display" in field_conflict(0.254, width, mag)
    assert field_conflict(1e6, width, FieldText()) == ""  # nothing printed: nothing to check


def _micrograph(strip_text: str, label: str, bar_px: int) -> np.ndarray:
    """A 600 x 400 noisy image above a flat black data bar with ``strip_text`` at the left and a
    white bar of ``bar_px`` px under its rendered ``label`` at the right."""
    from nanokit.synth import render_label

    rng = np.random.default_rng(3)
    img = rng.normal(110, 25, (400, 600)).clip(0, 255).astype(np.uint8)
    img[330:] = 0
    for text, x, y in ((strip_text, 10, 350), (label, 420, 338)):
        sprite = render_label(text, 24)
        h, w = sprite.shape
        img[y : y + h, x : x + w] = np.maximum(img[y : y + h, x : x + w], sprite)
    img[368:374, 420 : 420 + bar_px] = 255
    return img


@pytest.mark.parametrize(
    ("strip_text", "wrong", "right"),
    [
        ("HFW 2.07 µm", ("500 mm", 145), ("500 nm", 145)),  # mm on a µm field
        ("Mag = 50.00 K X", ("10 µm", 100), ("1 µm", 100)),  # 10x off for the magnification
    ],
)
def test_label_that_contradicts_the_data_bar_is_refused(
    ocr_engine, strip_text: str, wrong: tuple[str, int], right: tuple[str, int]
) -> None:
    from nanokit.scalebar.reader import read_scalebar

    alone = {"type": "PaperScalebarDetector", "reread_engines": []}
    good = read_scalebar(_micrograph(strip_text, *right), ocr_engine, alone)
    assert good.ok, good.error
    expected = parse_scale_label(right[0])
    assert expected is not None and good.value_nm == pytest.approx(expected.value_nm)
    bad = read_scalebar(_micrograph(strip_text, *wrong), ocr_engine, alone)
    assert not bad.ok and bad.nm_per_px is None
    assert "disagrees with the data bar" in bad.error
