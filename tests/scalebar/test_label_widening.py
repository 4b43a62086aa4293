"""A partial label reading is re-read on the word widened where its number or unit is missing
(the text mask lost the thin, faint glyphs of small labels); a bar on the edge of a data bar
finds the text on the data bar's dark side."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from nanokit.scalebar.label import WIDEN, Word, widened
from nanokit.scalebar.label_reader import read_label
from nanokit.scalebar.reader import read_scalebar

from .test_label_reader import IMG, WORD, SequenceEngine


def test_widened_grows_only_the_side_asked_for_within_the_image() -> None:
    word = Word(40, 20, 60, 30, 10.0, "above", 0.5)
    grow = int(WIDEN * 10)
    right = widened(word, left=False, right=True, width=200)
    assert (right.x0, right.x1, right.y0, right.y1) == (40, 60 + grow, 20, 30)
    left = widened(word, left=True, right=False, width=200)
    assert (left.x0, left.x1) == (max(0, 40 - grow), 60) and left.place == "above"
    assert widened(word, left=False, right=True, width=70).x1 == 69


def test_number_without_unit_is_re_read_widened_and_needs_two_agreeing_reads() -> None:
    engine = SequenceEngine("500", "500", "500", "500 nm", "500 nm")
    read = read_label([engine], IMG, WORD)
    assert read.label is not None and (read.label.value, read.label.unit) == (500, "nm")
    assert read.word is not None and read.word.x1 > WORD.x1 and read.word.x0 == WORD.x0
    assert engine.calls == 5
    lone = read_label([SequenceEngine("500", "500", "500", "500 nm", "", "")], IMG, WORD)
    assert lone.label is None and "not confirmed" in lone.reason


def test_unit_without_number_is_re_read_widened_to_the_left() -> None:
    engine = SequenceEngine("µm", "µm", "µm", "2 µm", "2 µm")
    read = read_label([engine], IMG, WORD)
    assert read.label is not None and read.label.value_nm == 2000
    assert read.word is not None and read.word.x0 < WORD.x0 and read.word.x1 == WORD.x1


def test_widened_read_must_agree_with_the_part() -> None:
    engine = SequenceEngine("500", "500", "500", "50 nm", "50 nm")
    read = read_label([engine], IMG, WORD)
    assert read.label is None and "partly read ('500')" in read.reason


def test_whole_reading_is_not_widened() -> None:
    engine = SequenceEngine("200 nm")
    read = read_label([engine], IMG, WORD)
    assert read.label is not None and read.word is None and engine.calls == 2


@pytest.mark.parametrize(("text", "part"), [("500 nm", "number"), ("2 µm", "unit")])
def test_small_soft_label_whose_word_lost_a_part_is_read_whole(ocr_engine, text, part) -> None:
    """A rendered, blurred label with 7-8 px text; the word box holds only its number (or
    only its unit), as when the text mask misses the thin glyphs of the rest."""
    import cv2

    from nanokit.synth import render_label

    sprite = render_label(text, 16)
    img = np.zeros((56, sprite.shape[1] + 80), np.uint8)
    img[20:36, 40 : 40 + sprite.shape[1]] = sprite
    img = cv2.GaussianBlur(img, (0, 0), 0.7)
    ys, xs = np.nonzero(img > 100)
    cols = np.unique(xs)
    split = int(np.argmax(np.diff(cols)))  # the space between number and unit
    x0, x1 = (cols[0], cols[split]) if part == "number" else (cols[split + 1], cols[-1])
    word = Word(int(x0), int(ys.min()), int(x1), int(ys.max()), float(ys.max() - ys.min() + 1))
    read = read_label([ocr_engine], img, word)
    value, unit = text.replace("µ", "u").split()
    assert read.label is not None, read.reason
    assert (read.label.value, read.label.unit) == (float(value), unit)
    assert read.word is not None


def _resized(shared_data, name: str, factor: float) -> tuple[np.ndarray, float]:
    """A real image scaled by ``factor`` (area interpolation) and its true nm/px."""
    import cv2

    from nanokit.io.images import read_image
    from nanokit.ocr.units import NM_PER_UNIT

    folder = shared_data / "scalebars"
    with (folder / "truth.csv").open(newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["image"] == name)
    grey = read_image(folder / "images" / name).grey
    size = (round(grey.shape[1] * factor), round(grey.shape[0] * factor))
    small = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    truth = float(row["value"]) * NM_PER_UNIT[row["unit"]] / float(row["bar_px"])
    return small, truth * grey.shape[1] / size[0]


@pytest.mark.parametrize(
    "name",
    [
        "ide__scalebar__500_nm.png",  # '500' found, the faint 'nm' in its box not: widened
        "sembar__ref_Transparent_English_Left_NoLabel_StandardSizes.tif",  # 'µm' without '1'
        "emps__2e4a3ab627.png",  # JEOL: bar on the data bar's edge, label on its black side
    ],
)
def test_real_small_labels_at_half_size(ocr_engine, shared_data, name: str) -> None:
    grey, truth = _resized(shared_data, name, 0.5)
    rec = read_scalebar(grey, ocr_engine, name=name)
    assert rec.ok, rec.error
    assert rec.nm_per_px == pytest.approx(truth, rel=0.01)
