"""Data-bar strip location and label placement around a bar."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from nanokit.scalebar.bar import Bar
from nanokit.scalebar.label import Word, find_label_words, label_crop, label_part, place_word
from nanokit.scalebar.strip import find_databar


def _micrograph(seed: int = 0, shape: tuple[int, int] = (300, 400)) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return cv2.GaussianBlur(rng.normal(128, 40, shape), (0, 0), 2).clip(0, 255).astype(np.uint8)


def test_black_data_bar_found() -> None:
    img = _micrograph()
    img[260:, :] = 0
    cv2.putText(img, "EHT = 20.00 kV", (10, 285), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 255, 1)
    assert find_databar(img) == (260, 299)


def test_no_data_bar_in_a_plain_micrograph() -> None:
    assert find_databar(_micrograph(1)) is None


def test_real_zeiss_data_bar(shared_data) -> None:
    import tifffile

    grey = tifffile.imread(shared_data / "scalebars/images/sembar__Zeiss_1.tif")
    assert find_databar(grey) == (699, 766)


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
