"""The data-bar finder shared by measure and the datasets: any dtype, bottom or top."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from nanokit.datasets._databar import detect_databar as dataset_databar_start
from nanokit.measure.databar import detect_databar


def _with_bar(rows: int = 14) -> np.ndarray:
    """Noise with a black bar of ``rows`` rows and white text at the bottom."""
    image = np.random.default_rng(0).integers(30, 220, (120, 160), dtype=np.uint8)
    image[-rows:] = 0
    cv2.putText(image, "200 nm", (5, 116), cv2.FONT_HERSHEY_PLAIN, 0.7, 255, 1)
    return image


@pytest.mark.parametrize(
    "convert",
    [
        lambda a: a,
        lambda a: a.astype(np.uint16) * 257,
        lambda a: a.astype(np.float32) / 255,
        lambda a: np.dstack([a] * 3),
    ],
)
def test_bottom_bar_found_in_any_dtype(convert) -> None:
    assert detect_databar(convert(_with_bar())) == (106, 119)


def test_top_bar_and_edge_choice() -> None:
    flipped = _with_bar()[::-1]
    assert detect_databar(flipped) == (0, 13)
    assert detect_databar(flipped, edges=("bottom",)) is None


def test_no_bar_in_noise_and_too_tall_bands() -> None:
    noise = np.random.default_rng(1).integers(0, 255, (120, 160), dtype=np.uint8)
    assert detect_databar(noise) is None
    assert detect_databar(_with_bar(rows=60)) is None  # half the image is no data bar


def test_dataset_helper_returns_the_first_bar_row() -> None:
    assert dataset_databar_start(_with_bar()) == 106
    assert dataset_databar_start(_with_bar()[::-1]) is None  # datasets look at the bottom only
