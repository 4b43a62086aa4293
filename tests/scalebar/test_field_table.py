"""Data bars printed as tables (FEI/Thermo, Tescan): a header row (``HV | curr | mag | HFW``)
over a row of values (``5.00 kV | 6.3 pA | 120 x | 1.73 mm``). Each header is paired with the
value directly below it, so the printed field width is read and checks the label."""

from __future__ import annotations

import numpy as np
import pytest

from nanokit.scalebar.field import _phrases, field_conflict, parse_field_text, table_text
from nanokit.scalebar.label import Word


def _row(y: int, cells: list[tuple[int, int, str]], height: int = 8) -> list[tuple[Word, str]]:
    return [(Word(x0, y, x1, y + height - 1, float(height)), text) for x0, x1, text in cells]


# centred cells, as the FEI Helios prints them (x ranges in px, rows 10 px apart)
HEADERS = [
    (50, 62, "HV"),
    (94, 108, "curr"),
    (128, 158, "mag"),
    (177, 196, "HFW"),
    (217, 240, "mode"),
]
VALUES = [
    (41, 70, "5.00 kV"),
    (85, 114, "6.3 pA"),
    (132, 152, "120 x"),
    (170, 204, "1.73 mm"),
    (222, 232, "SE"),
]


def test_header_is_paired_with_the_value_below_it() -> None:
    cells = _row(445, HEADERS) + _row(459, VALUES)
    field = parse_field_text(table_text(cells))
    assert field.hfw_nm == pytest.approx(1.73e6)
    assert field.mag == 120
    assert "HV 5.00 kV" in table_text(cells)
    # the rows alone print no width: "HFW | 1.73 mm" is not a phrase
    assert parse_field_text(" | ".join(text for _, text in cells)).hfw_nm is None


def test_left_aligned_table_and_unread_cells() -> None:
    headers = [(43, 59, "HV"), (98, 120, "spot"), (196, 215, "HFW"), (252, 270, "WD")]
    values = [(43, 90, "5.00 kV"), (98, 115, "4.0"), (196, 248, "20.7 µm"), (252, 310, "7.1 mm")]
    cells = _row(485, headers) + _row(501, values)
    assert parse_field_text(table_text(cells)).hfw_nm == pytest.approx(20_700)
    unread = [(word, None if text == "20.7 µm" else text) for word, text in cells]
    assert parse_field_text(table_text(unread)).hfw_nm is None


def test_a_line_of_text_below_a_label_and_its_value_is_no_table() -> None:
    # Zeiss: "Mag" and its value "50.00 K X" on one line, a longer line of text below both
    cells = _row(708, [(8, 32, "Mag"), (54, 110, "50.00 K X")]) + _row(
        728, [(7, 120, "Width 2.07 µm")]
    )
    text = table_text(cells)
    assert "Mag Width" not in text
    assert parse_field_text(text).mag == 50_000


def test_values_printed_close_together_split_at_the_cell_border() -> None:
    from nanokit.synth import render_label

    band = np.full((40, 300), 20, np.uint8)
    x = 10
    for text in ("5.00 kV", "6.3 pA"):
        sprite = render_label(text, 16)
        h, w = sprite.shape
        band[20 : 20 + h, x : x + w] = np.maximum(band[20 : 20 + h, x : x + w], sprite)
        x += w + 6  # closer than the gap that separates words
        band[:, x - 3] = 45  # a faint grid line, well under the text's contrast
    words = [word for word, _ in _phrases(band, 20.0, 0, None)]
    assert len(words) == 2
    assert words[0].x1 < words[1].x0


def test_real_fei_table_prints_the_field_width(ocr_engine, shared_data) -> None:
    """rs__FEI-Helios-Ebeam-8bits.tif: HFW 1.73 mm below its header; 500 µm over 148.26 px
    on a 512 px wide image is 1.727 mm. The file's image area is zeroed (the strip would
    reach the top), so it is filled with noise first."""
    from nanokit.calibration.databar import find_databar
    from nanokit.io.images import read_image
    from nanokit.scalebar.field import read_field_text

    grey = read_image(shared_data / "scalebars/images/rs__FEI-Helios-Ebeam-8bits.tif").grey.copy()
    rng = np.random.default_rng(0)
    grey[:436] = rng.normal(120, 30, (436, grey.shape[1])).clip(0, 255).astype(np.uint8)
    strip = find_databar(grey)
    assert strip is not None
    field = read_field_text(ocr_engine, grey, strip)
    assert field.hfw_nm == pytest.approx(1.73e6), field.text
    nm_per_px = 500e3 / 148.26
    assert field_conflict(nm_per_px, grey.shape[1], field) == ""
    assert "width of 1.73 mm" in field_conflict(10 * nm_per_px, grey.shape[1], field)
