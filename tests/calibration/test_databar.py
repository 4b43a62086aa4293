"""The one data-bar finder of the scale-bar detector, measure and the datasets."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from nanokit.calibration.databar import find_databar
from nanokit.datasets._databar import detect_databar as dataset_databar_start


def _with_bar(rows: int = 14) -> np.ndarray:
    """Noise with a black bar of ``rows`` rows and white text at the bottom."""
    image = np.random.default_rng(0).integers(30, 220, (120, 160), dtype=np.uint8)
    image[-rows:] = 0
    cv2.putText(image, "200 nm", (5, 116), cv2.FONT_HERSHEY_PLAIN, 0.7, 255, 1)
    return image


def _micrograph(seed: int = 0, mean: float = 128, shape=(300, 400)) -> np.ndarray:
    """A blurred noise texture around ``mean``."""
    rng = np.random.default_rng(seed)
    return cv2.GaussianBlur(rng.normal(mean, 40, shape), (0, 0), 2).clip(0, 255).astype(np.uint8)


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
    assert find_databar(convert(_with_bar())) == (106, 119)


def test_top_bar_and_edge_choice() -> None:
    flipped = _with_bar()[::-1]
    assert find_databar(flipped) == (0, 13)
    assert find_databar(flipped, edges=("bottom",)) is None


def test_no_bar_in_noise_and_too_tall_bands() -> None:
    noise = np.random.default_rng(1).integers(0, 255, (120, 160), dtype=np.uint8)
    assert find_databar(noise) is None
    assert find_databar(_micrograph(1)) is None
    assert find_databar(_with_bar(rows=60)) is None  # half the image is no data bar


def test_black_bar_with_text() -> None:
    img = _micrograph()
    img[260:, :] = 0
    cv2.putText(img, "EHT = 20.00 kV", (10, 285), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 255, 1)
    assert find_databar(img) == (260, 299)


def test_grey_bar_with_frame_line_beside_a_dark_image() -> None:
    """FEI/Tescan style: a grey fill about as dark as the image, under a light frame line
    (the scale-bar finder missed these: the strip's grey was too close to the image's)."""
    img = _micrograph(mean=60)
    img[250:] = 50
    img[250] = 100
    cv2.putText(img, "HV 5.00 kV  WD 4.1 mm", (10, 280), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 230, 1)
    assert find_databar(img) == (250, 299)


def test_frame_line_of_two_levels_belongs_to_the_bar() -> None:
    """A Zeiss-style black strip under an embossed edge: a light row, a lighter one above it
    (the particle touching the edge must not count as cut by the bar's frame)."""
    grain = np.random.default_rng(1).normal(0, 12, (300, 400))
    img = (_micrograph(mean=60) + grain).clip(0, 255).astype(np.uint8)
    img[252:] = 0
    img[251] = 135
    img[250] = 150
    cv2.putText(img, "EHT = 10.00 kV", (10, 285), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 230, 1)
    assert find_databar(img) == (250, 299)


def test_jpeg_noisy_bar() -> None:
    """A black fill with compression noise of a few grey levels (measure's finder, which
    wanted one exact value, missed these journal crops)."""
    img = _micrograph()
    img[255:] = np.random.default_rng(2).integers(0, 6, (45, 400), dtype=np.uint8)
    cv2.putText(img, "S4800 15.0kV x30.0k", (10, 285), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 255, 2)
    assert find_databar(img) == (255, 299)


def test_smooth_background_is_no_bar() -> None:
    """A smooth, slightly noisy background at the bottom shares its level with the rows above."""
    rng = np.random.default_rng(3)
    img = (np.full((300, 400), 120.0) + rng.normal(0, 1.5, (300, 400))).round().astype(np.uint8)
    img[:150] = _micrograph()[:150]
    assert find_databar(img) is None


def test_dataset_helper_returns_the_first_bar_row() -> None:
    assert dataset_databar_start(_with_bar()) == 106
    assert dataset_databar_start(_with_bar()[::-1]) is None  # datasets look at the bottom only


@pytest.mark.parametrize(
    "name, y0",
    [
        ("sembar__Zeiss_1.tif", 699),  # white frame lines around a black strip
        ("sembar__Tescan_2.TIF", 1152),  # grey cells beside a dark image
        ("bamtsem__1908249.tif", 712),  # black strip under a flat grey background
        ("emps__8c22d1acd5.png", 492),  # journal crop: JPEG-noisy black strip
    ],
)
def test_real_data_bars(shared_data, name: str, y0: int) -> None:
    from nanokit.io.images import read_image

    grey = read_image(shared_data / "scalebars/images" / name).grey
    assert find_databar(grey) == (y0, grey.shape[0] - 1)


def test_real_image_without_data_bar(shared_data) -> None:
    from nanokit.io.images import read_image

    grey = read_image(shared_data / "scalebars/images/ide__scalebar__50_nm.png").grey
    assert find_databar(grey) is None  # flat dark background under the label
