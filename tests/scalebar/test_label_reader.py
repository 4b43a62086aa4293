"""read_label: re-reads of partial, ambiguous and easily confused readings (scripted engine)."""

from __future__ import annotations

import numpy as np
import pytest

from nanokit.ocr.engines.base import BaseOCREngine, OcrResult
from nanokit.ocr.units import partial_label
from nanokit.scalebar.label import Word
from nanokit.scalebar.label_reader import read_label, round_value, usual_value


class SequenceEngine(BaseOCREngine):
    """Returns the scripted texts in turn (the last one again when they run out)."""

    name = "sequence"
    reads_micro = True

    def __init__(self, *texts: str, name: str = "sequence") -> None:
        super().__init__()
        self.texts = list(texts)
        self.calls = 0
        self.name = name

    def _load(self) -> None:
        pass

    def _read(self, crop: np.ndarray, allowlist: str | None) -> OcrResult:
        text = self.texts[min(self.calls, len(self.texts) - 1)]
        self.calls += 1
        return OcrResult(text, (0, 0, crop.shape[1], crop.shape[0]), 0.9)


IMG = np.zeros((60, 200), np.uint8)
IMG[20:32, 40:120] = 255
WORD = Word(40, 20, 119, 31, 12.0)


@pytest.mark.parametrize(
    "text, value, start",
    [
        ("500ni", 500.0, "n"),
        ("10n", 10.0, "n"),
        ("nm", None, "n"),
        ("µm", None, "u"),
        ("500", 500.0, ""),
    ],
)
def test_partial_labels(text: str, value: float | None, start: str) -> None:
    part = partial_label(text)
    assert part is not None and part.value == value and part.unit_start == start


@pytest.mark.parametrize("text", ["EABAMO", "ZEISS", "8CR", "WD 5mm", ""])
def test_no_partial_label(text: str) -> None:
    assert partial_label(text) is None


def test_whole_read_is_taken_when_a_second_preparation_agrees() -> None:
    engine = SequenceEngine("200 nm")
    read = read_label([engine], IMG, WORD)
    assert read.label is not None and read.label.value_nm == 200 and engine.calls == 2
    # the other preparations read nothing: nothing contradicts the one reading
    lone = read_label([SequenceEngine("200 nm", "", "")], IMG, WORD)
    assert lone.label is not None and lone.label.value_nm == 200


def test_partial_read_is_completed_by_an_agreeing_re_read() -> None:
    engine = SequenceEngine("500ni", "500 nm")
    read = read_label([engine], IMG, WORD)
    assert read.label is not None and (read.label.value, read.label.unit) == (500, "nm")
    assert engine.calls == 3


def test_engine_contradicting_itself_needs_another_engine() -> None:
    """Tesseract on emps__f7f9125fb0: '350 nm' from the crop as cut, '50 nm' contrast-stretched;
    taken at once, the first reading was 7x off."""
    read = read_label([SequenceEngine("350 nm", "", "50 nm")], IMG, WORD)
    assert read.label is None and "'350 nm' and '50 nm'" in read.reason
    assert "no other engine" in read.reason
    # a number no scale bar carries contradicts too (tesseract: '41 um', then '4 um' for 1 µm)
    assert read_label([SequenceEngine("41 um", "4 um", "4 um")], IMG, WORD).label is None
    # another engine settles it, on the reading taken, never on a third value
    second = SequenceEngine("350 nm", name="second")
    confirmed = read_label([SequenceEngine("350 nm", "", "50 nm"), second], IMG, WORD)
    assert confirmed.label is not None and confirmed.label.value == 350
    other = read_label([SequenceEngine("350 nm", "", "50 nm"), SequenceEngine("5 nm")], IMG, WORD)
    assert other.label is None


def test_unusual_value_needs_another_engine() -> None:
    """EasyOCR on emps__6db657d4f7 read '1 µm' as '7um' in every preparation (score 0.95)."""
    engine = SequenceEngine("7 um")
    engine.reads_micro = False
    alone = read_label([engine], IMG, WORD)
    assert alone.label is None and "unusual" in alone.reason
    other = read_label([SequenceEngine("7 um"), SequenceEngine("4 um", name="b")], IMG, WORD)
    assert other.label is None and "'7 um' and '4 um'" in other.reason
    both = read_label([SequenceEngine("7 um"), SequenceEngine("7 um", name="b")], IMG, WORD)
    assert both.label is not None and both.label.value_nm == 7000


@pytest.mark.parametrize("value", [1, 1.5, 2, 2.5, 3, 4, 5, 10, 30, 250, 0.5, 1000])
def test_usual_values(value: float) -> None:
    assert usual_value(value)


@pytest.mark.parametrize("value", [7, 90, 0.9, 6, 8, 3.5, 750])
def test_unusual_values(value: float) -> None:
    assert not usual_value(value)


def test_re_read_that_contradicts_the_part_is_not_used() -> None:
    engine = SequenceEngine("500ni", "50 um", "50 um")
    read = read_label([engine], IMG, WORD)
    # three preparations of the word, three of the word widened to the right
    assert read.label is None and "partly read" in read.reason and engine.calls == 6


def test_unit_without_number_is_never_completed_by_guessing() -> None:
    engine = SequenceEngine("nm", "nm", "nm")
    read = read_label([engine], IMG, WORD)
    assert read.label is None and "'nm'" in read.reason
    lone = read_label([SequenceEngine("nm", "50 nm", "")], IMG, WORD)
    assert lone.label is None and "not confirmed" in lone.reason
    both = read_label([SequenceEngine("nm", "50 nm", "50 nm")], IMG, WORD)
    assert both.label is not None and both.label.value == 50


def test_mm_needs_two_agreeing_reads() -> None:
    assert read_label([SequenceEngine("1 mm", "1 mm")], IMG, WORD).label is not None
    conflict = read_label([SequenceEngine("100 mm", "100 nm")], IMG, WORD)
    assert conflict.label is None and "'100 mm' and '100 nm'" in conflict.reason
    lone = read_label([SequenceEngine("100 mm", "", "")], IMG, WORD)
    assert lone.label is None and "not confirmed" in lone.reason


def test_mm_read_twice_is_refused_when_another_engine_reads_another_unit() -> None:
    """RapidOCR on emps__99eb4bad25 read '200 nm' as '200mm' in both preparations (its n over a
    dark rod): two agreeing reads of one engine do not settle a unit OCR makes out of others."""
    other = SequenceEngine("200 nm", name="second")
    read = read_label([SequenceEngine("200mm", "200mm"), other], IMG, WORD)
    assert read.label is None and "'200mm' and '200 nm'" in read.reason
    assert other.calls == 1
    # its own engine's partial read on the word widened, as on that image: '200n'
    partial = read_label([SequenceEngine("200", "200mm", "200n", "200mm")], IMG, WORD)
    assert partial.label is None and "'200mm' and '200n'" in partial.reason
    agrees = read_label(
        [SequenceEngine("1 mm", "1 mm"), SequenceEngine("1 mm", name="b")], IMG, WORD
    )
    assert agrees.label is not None and agrees.label.value_nm == 1e6
    unread = read_label([SequenceEngine("1 mm", "1 mm"), SequenceEngine("", name="b")], IMG, WORD)
    assert unread.label is not None and unread.label.value_nm == 1e6
    # other units are taken on two agreeing reads without asking another engine
    asked = SequenceEngine("200 um", name="b")
    nm = read_label([SequenceEngine("200 nm", "200 nm"), asked], IMG, WORD)
    assert nm.label is not None and nm.label.value_nm == 200 and asked.calls == 0


def test_angstrom_needs_two_agreeing_reads() -> None:
    """emps_train 6360a823da: a faint "50 nm" read 'A' by RapidOCR in every preparation and '2A'
    by tesseract in one: 2 Å, 250x off, had been taken."""
    lone = read_label(
        [SequenceEngine("A", "A", "A"), SequenceEngine("2A", "A", "A", name="t")], IMG, WORD
    )
    assert lone.label is None and "not confirmed" in lone.reason
    both = read_label([SequenceEngine("5 Å", "5 Å")], IMG, WORD)
    assert both.label is not None and both.label.value_nm == 0.5


def test_ambiguous_read_is_settled_only_on_one_of_its_readings() -> None:
    engine = SequenceEngine("5 pm", "5 µm")
    engine.reads_micro = False  # 'pm' from an engine without µ may be a misread µm
    read = read_label([engine], IMG, WORD)
    assert read.label is not None and read.label.unit == "um"
    other = SequenceEngine("5 pm", "50 nm", "50 nm")
    other.reads_micro = False
    assert read_label([other], IMG, WORD).label.ambiguous


def test_value_no_scale_bar_carries_is_re_read() -> None:
    # another number from the same engine: a second engine must read the value
    read = read_label([SequenceEngine("2.9µm", "2.0 µm")], IMG, WORD)
    assert read.label is None and "'2.0 µm' and '2.9µm'" in read.reason
    second = SequenceEngine("2 µm", name="second")
    read = read_label([SequenceEngine("2.9µm", "2.0 µm"), second], IMG, WORD)
    assert read.label is not None and read.label.value == 2.0
    refused = read_label([SequenceEngine("2.9µm", "2.9µm", "2.9 µm")], IMG, WORD)
    assert refused.label is None and "not a scale-bar value" in refused.reason
    other_unit = read_label([SequenceEngine("2.9µm", "2 nm", "2 nm")], IMG, WORD)
    assert other_unit.label is None
    # after a part without a number, two preparations must agree
    conflict = read_label([SequenceEngine("2.9µm", "20µm", "2.0 µm")], IMG, WORD)
    assert conflict.label is None and "'20µm', '2.9µm' and '2.0 µm'" in conflict.reason


@pytest.mark.parametrize("value", [1, 1.5, 2, 2.5, 5, 7.5, 10, 20, 25, 50, 100, 200, 500, 0.5])
def test_round_values(value: float) -> None:
    assert round_value(value)


@pytest.mark.parametrize("value", [2.9, 1.2, 12, 63, 0.37])
def test_values_no_scale_bar_carries(value: float) -> None:
    assert not round_value(value)


def test_boxed_label_is_not_joined_with_particles_beside_its_box() -> None:
    """Synthetic seed 7143: '5 um' in a black box, bright particles 1.75 character heights to
    the right of the label; the only word took them in and no longer sat above its bar."""
    import cv2

    from nanokit.scalebar.bar_finder import find_bars
    from nanokit.scalebar.label import find_label_words

    img = np.full((200, 400), 50, np.uint8)
    img[30:100, 10:126] = 0  # the box; the label's glyphs are 20 px high and end at x = 107
    cv2.putText(img, "5 um", (40, 67), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 255, 2)
    for x in (154, 200, 246):  # particles beside the box, as tall as the glyphs
        cv2.circle(img, (x, 58), 10, 255, -1)
    img[77:87, 15:115] = 255  # the bar under the label
    bar = next(b for b in find_bars(img) if b.y0 == 77)
    words = find_label_words(img, bar)
    assert any(w.place == "above" and w.x0 == 41 and w.x1 == 107 for w in words)


def test_refusal_names_the_partial_reading() -> None:
    read = read_label([SequenceEngine("", "10n", "")], IMG, WORD)
    assert read.label is None and "('10n')" in read.reason


def test_a_data_bar_scale_bar_looks_for_its_label_in_the_data_bar() -> None:
    """Synthetic seed 7052: particles just above a JEOL data bar outranked the label printed
    right of the bar inside the data bar."""
    import cv2

    from nanokit.scalebar.bar_finder import find_bars
    from nanokit.scalebar.label import find_label_words

    img = np.full((200, 400), 40, np.uint8)
    img[160:] = 0  # the data bar, rows 160-199
    img[178:182, 100:250] = 255  # the scale bar in it
    cv2.putText(img, "1um", (262, 186), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 255, 1)
    for x in (130, 150, 170):  # blobs just above the data bar
        cv2.circle(img, (x, 150), 6, 255, -1)
    bar = next(b for b in find_bars(img) if b.y0 == 178)
    label = find_label_words(img, bar, strip=(160, 199))[0]
    assert label.place == "right" and label.y0 >= 160


def test_partial_read_is_completed_by_a_second_engine_on_a_rendered_label() -> None:
    """The main engine reads only '500ni' from every preparation; the re-read engine (tesseract,
    restricted to the label's alphabet) reads the rendered label whole, and it agrees."""
    from nanokit.ocr import build_engine
    from nanokit.synth import render_label

    second = build_engine("tesseract")
    if not second.is_available():
        pytest.skip("tesseract is not installed")
    sprite = render_label("500 nm", 20)
    img = np.zeros((60, 40 + sprite.shape[1]), np.uint8)
    img[20:40, 20 : 20 + sprite.shape[1]] = sprite
    ys, xs = np.nonzero(sprite > 128)
    word = Word(20 + xs.min(), 20 + ys.min(), 20 + xs.max(), 20 + ys.max(), 14.0)
    main = SequenceEngine("500ni")
    read = read_label([main, second], img, word)
    assert read.label is not None and (read.label.value, read.label.unit) == (500, "nm")
    assert read.engine == "tesseract" and main.calls == 6  # the word, then widened
    alone = read_label([SequenceEngine("500ni")], img, word)
    assert alone.label is None and "partly read" in alone.reason


def test_a_label_whose_number_lost_its_start_is_found_to_the_left() -> None:
    """emps_train 73e0a09cd2 at half size: the word held "2 µm", the "0." of "0.2 µm" apart;
    the word widened to the left reads the smaller number that ends in the same digits."""
    from nanokit.ocr.units import parse_scale_label
    from nanokit.scalebar.label_reader import cut_short

    img = np.zeros((60, 300), np.uint8)
    word = Word(120, 20, 160, 31, 12.0)
    label = parse_scale_label("2 µm")
    assert label is not None
    assert "'0.2 µm'" in cut_short(SequenceEngine("0.2 µm"), img, word, label)
    # a larger number (a tick read as 1, a point lost in the wider crop) or another one: kept
    for wider in ("12 µm", "20 µm", "0.5 µm", "2 µm", "0.2 nm", ""):
        assert cut_short(SequenceEngine(wider), img, word, label) == "", wider
    # nothing to the left of a word at the image's edge
    assert cut_short(SequenceEngine("0.2 µm"), img, Word(0, 20, 40, 31, 12.0), label) == ""


def test_a_reciprocal_length_is_refused_whatever_another_engine_reads() -> None:
    """The bar of a diffraction pattern, '2 nm⁻¹': a re-read that misses the small exponent
    ('2 nm') must not make it a 2 nm scale bar."""
    main, other = SequenceEngine("2 nm⁻¹"), SequenceEngine("2 nm", name="other")
    read = read_label([main, other], IMG, WORD)
    assert read.label is None
    assert "reciprocal length" in read.reason
