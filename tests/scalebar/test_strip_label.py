"""Label placement around a bar."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from nanokit.scalebar.bar import Bar
from nanokit.scalebar.label import Word, find_label_words, label_crop, label_part, place_word


def _bar_with_text(text: str, org: tuple[int, int]) -> tuple[np.ndarray, Bar]:
    img = np.full((200, 400), 30, np.uint8)
    img[120:126, 150:250] = 250
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, 0.7, 250, 2)
    bar = Bar(150, 120, 249, 125, 250.0, 30.0, 149.5, 249.5)
    return img, bar


@pytest.mark.parametrize(
    "org, place", [((160, 110), "above"), ((160, 150), "below"), ((265, 131), "right")]
)
def test_label_place(org: tuple[int, int], place: str) -> None:
    img, bar = _bar_with_text("50 nm", org)
    words = find_label_words(img, bar)
    assert words and words[0].place == place
    crop = label_crop(img, words[0])
    assert crop.dtype == np.uint8 and crop.shape[0] >= 32
    assert crop.mean() > 128  # dark text on light


def test_far_text_is_not_a_label() -> None:
    img, bar = _bar_with_text("50 nm", (20, 30))
    assert find_label_words(img, bar) == []


def test_label_part_and_place() -> None:
    bar = Bar(100, 50, 199, 55, 250.0, 0.0, 99.5, 199.5)
    word = Word(100, 30, 299, 44, 12.0)
    part = label_part(word, "50 nm  WD 8.4mm", "50 nm")
    assert part.x0 == 100 and part.x1 < 180
    assert place_word(part, bar).place == "above"
    far = label_part(word, "WD 8.4mm  50 nm", "50 nm")
    assert not place_word(far, bar).place
