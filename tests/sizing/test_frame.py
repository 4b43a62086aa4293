"""The frame of a micrograph: data-bar rows and uniform margins (a figure's border)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from nanokit.sizing.frame import Frame, databar_inside_margins, find_frame, panels
from nanokit.sizing.sizers.base import SizingResult


def _micrograph(shape: tuple[int, int] = (200, 260), seed: int = 0) -> np.ndarray:
    """A textured grey micrograph (substrate 120 +- noise, dark discs), no margin."""
    rng = np.random.default_rng(seed)
    image = rng.normal(120, 12, shape)
    for _ in range(15):
        y, x = int(rng.integers(0, shape[0])), int(rng.integers(0, shape[1]))
        cv2.circle(image, (x, y), int(rng.integers(5, 15)), 40, -1)
    return np.clip(image, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("value", [255, 0, 250])
def test_a_uniform_margin_on_each_side_is_outside_the_frame(value: int) -> None:
    image = _micrograph()
    framed = cv2.copyMakeBorder(image, 15, 9, 4, 1, cv2.BORDER_CONSTANT, value=value)
    assert find_frame(framed) == Frame(15, 15 + 200, 4, 4 + 260)


def test_no_margin_leaves_the_whole_image() -> None:
    image = _micrograph()
    assert find_frame(image) == Frame(0, 200, 0, 260)


def test_a_frame_line_inside_a_white_border_is_peeled_too() -> None:
    image = cv2.copyMakeBorder(_micrograph(), 2, 2, 2, 2, cv2.BORDER_CONSTANT, value=0)
    framed = cv2.copyMakeBorder(image, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255)
    assert find_frame(framed) == Frame(12, 212, 12, 272)


@pytest.mark.parametrize("width", [12, 2, 1])
def test_a_margin_survives_jpeg_compression(width: int) -> None:
    framed = cv2.copyMakeBorder(_micrograph(), *(4 * [width]), cv2.BORDER_CONSTANT, value=255)
    ok, data = cv2.imencode(".jpg", framed, [cv2.IMWRITE_JPEG_QUALITY, 75])
    frame = find_frame(cv2.imdecode(data, cv2.IMREAD_GRAYSCALE))
    # ringing reaches into every line of a thin border, and may hold back a wide one's last
    true = (width, width + 200, width, width + 260)
    for found, expected in zip(frame, true, strict=True):
        assert abs(found - expected) <= (1 if width > 2 else 0)


def test_a_flat_dark_background_at_the_edge_is_no_margin() -> None:
    # an SEM substrate of grey 45 with a noise of one level, particles further in
    rng = np.random.default_rng(1)
    image = np.clip(rng.normal(45, 1, (200, 260)), 0, 255).astype(np.uint8)
    image[40:] = _micrograph((160, 260))
    assert find_frame(image) == Frame(0, 200, 0, 260)


def test_a_black_background_that_fades_into_the_image_is_no_margin() -> None:
    # a black SEM substrate along the bottom, lit more and more towards the particles
    rng = np.random.default_rng(2)
    image = _micrograph()
    ramp = np.linspace(0, 40, 30)[::-1, None] + rng.normal(0, 3, (30, 260))
    image[170:] = np.clip(ramp, 0, 255).astype(np.uint8)
    image[170:][ramp < 12] = 2
    assert find_frame(image) == Frame(0, 200, 0, 260)


def test_a_saturated_background_that_goes_on_inside_is_no_margin() -> None:
    # a bright TEM field clipped at 255 along the top, the particles well inside it
    image = np.full((200, 260), 255, np.uint8)
    for x, y in ((60, 120), (150, 90), (210, 150)):
        cv2.circle(image, (x, y), 20, 60, -1)
    image[150:] = _micrograph((50, 260))
    assert find_frame(image) == Frame(0, 200, 0, 260)


def test_a_blank_image_is_all_frame() -> None:
    image = np.full((100, 120), 255, np.uint8)
    image[45:55, 50:60] = 30  # one speck: flat lines all around it, nearly all of the image
    assert find_frame(image) == Frame(0, 100, 0, 120)


def test_the_data_bar_rows_are_outside_the_frame_and_its_margins_found_above() -> None:
    image = cv2.copyMakeBorder(_micrograph(), 0, 0, 8, 8, cv2.BORDER_CONSTANT, value=255)
    with_bar = np.vstack([image, np.full((30, image.shape[1]), 20, np.uint8)])
    assert find_frame(with_bar, (200, 229)) == Frame(0, 200, 8, 268)


def test_shift_and_inner_boxes_map_the_frame_to_the_image() -> None:
    frame = Frame(10, 60, 5, 85)
    assert frame.shift([{"cx_px": 1.5, "cy_px": 2.0, "area_px": 4}]) == [
        {"cx_px": 6.5, "cy_px": 12.0, "area_px": 4}
    ]
    boxes = [(0, 0, 4, 9), (20, 30, 40, 65), (90, 0, 95, 5)]
    assert frame.inner_boxes(boxes) == [(15, 20, 35, 55)]


def test_parts_sized_apart_are_placed_and_numbered_on_in_the_image() -> None:
    left, right = Frame(0, 20, 0, 30), Frame(0, 20, 40, 70)
    one = np.zeros((20, 30), np.int32)
    one[2:5, 2:5] = 1
    particle = {"particle_id": 1, "cx_px": 3.0, "cy_px": 3.0}
    parts = [(left, SizingResult(one, [particle])), (right, SizingResult(one, [particle]))]
    whole = SizingResult.of_parts((20, 70), parts)
    assert whole.labels[3, 3] == 1 and whole.labels[3, 43] == 2 and whole.labels.max() == 2
    assert [(p["particle_id"], p["cx_px"]) for p in whole.particles] == [(1, 3.0), (2, 43.0)]


def test_a_data_bar_inside_a_white_border_is_found_inside_it() -> None:
    bar = np.full((24, 260), 20, np.uint8)
    for x in range(20, 200, 16):
        bar[8:16, x : x + 8] = 235  # the bar's text
    image = np.vstack([_micrograph(), bar])
    framed = cv2.copyMakeBorder(image, 15, 15, 15, 15, cv2.BORDER_CONSTANT, value=255)
    rows = databar_inside_margins(framed)
    assert rows == (215, 238)
    assert find_frame(framed, rows) == Frame(15, 215, 15, 275)


@pytest.mark.parametrize("axis", [0, 1])
def test_a_figure_is_split_at_the_gutter_between_its_panels(axis: int) -> None:
    a, b = _micrograph(seed=1), _micrograph((180, 240), seed=2)
    # b is the smaller panel: white beside it, as a figure lays out panels of two sizes
    b = np.pad(b, ((0, 20), (0, 20)), constant_values=255)
    gutter = np.full((200, 10), 255, np.uint8) if axis == 1 else np.full((10, 260), 255, np.uint8)
    figure = np.concatenate([a, gutter, b], axis=axis)
    found = panels(figure, find_frame(figure))
    if axis == 1:
        assert found == [Frame(0, 200, 0, 260), Frame(0, 180, 270, 510)]
    else:
        assert found == [Frame(0, 200, 0, 260), Frame(210, 390, 0, 240)]
    assert panels(a, find_frame(a)) == [Frame(0, 200, 0, 260)]


def test_a_dark_band_fading_into_the_image_is_no_gutter() -> None:
    # a black substrate across the image, lit more and more (a grey level a row) below it
    rng = np.random.default_rng(4)
    image = _micrograph()
    image[60:100] = 0
    ramp = np.arange(1, 61)[:, None] + rng.normal(0, 2, (60, 260))
    image[100:160] = np.clip(ramp, 0, 255).astype(np.uint8)
    assert len(panels(image, find_frame(image))) == 1
    image[100:160] = _micrograph((60, 260), seed=5)  # the image starts at once: a gutter
    assert len(panels(image, find_frame(image))) == 2
