"""Coloured marks on a grey micrograph become white or black, not their luminance."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from nanokit.io import read_image
from nanokit.io.colour_marks import marks_grey

YELLOW, BLUE = (255, 255, 0), (0, 0, 255)


def _grey_rgb(level: int, shape: tuple[int, int] = (120, 160), seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    grey = np.clip(rng.normal(level, 6, shape), 0, 255).astype(np.uint8)
    return np.repeat(grey[..., None], 3, axis=2)


def test_yellow_bar_on_bright_ground_becomes_black() -> None:
    rgb = _grey_rgb(200)
    rgb[100:106, 20:80] = YELLOW  # luminance 226: hardly brighter than the ground
    grey = marks_grey(rgb)
    assert grey is not None
    assert grey[100:106, 20:80].max() == 0
    np.testing.assert_array_equal(grey[:90], rgb[:90, :, 0])  # grey pixels keep their grey


def test_blue_bar_on_dark_ground_becomes_white() -> None:
    rgb = _grey_rgb(40)
    rgb[100:106, 20:80] = BLUE  # luminance 29: as dark as the ground
    grey = marks_grey(rgb)
    assert grey is not None
    assert grey[100:106, 20:80].min() == 255


def test_anti_aliased_edge_goes_part_of_the_way() -> None:
    rgb = _grey_rgb(40)
    rgb[100:106, 20:80] = BLUE
    rgb[106, 20:80] = np.round(0.5 * rgb[107, 20:80] + 0.5 * np.array(BLUE))  # half covered
    grey = marks_grey(rgb)
    assert grey is not None
    edge = grey[106, 20:80].astype(float)
    assert np.all((edge > 120) & (edge < 170))  # half-way between the ground (~40) and white


def test_colour_pictures_tints_and_specks_keep_luminance() -> None:
    rng = np.random.default_rng(1)
    assert marks_grey(rng.integers(0, 256, (80, 100, 3), dtype=np.uint8)) is None
    tinted = _grey_rgb(120).astype(np.int16)
    tinted[..., 2] += 20  # a bluish micrograph
    tinted_bar = np.clip(tinted, 0, 255).astype(np.uint8)
    tinted_bar[60:64, 10:70] = YELLOW
    assert marks_grey(tinted_bar) is None
    specks = _grey_rgb(120)
    specks[5, 5:15] = YELLOW  # ten coloured pixels: noise, not marks
    assert marks_grey(specks) is None


def test_read_image_says_marks_were_set_off(tmp_path: Path) -> None:
    rgb = _grey_rgb(200)
    rgb[100:106, 20:80] = YELLOW
    cv2.imwrite(str(tmp_path / "m.png"), rgb[..., ::-1])
    loaded = read_image(tmp_path / "m.png")
    assert loaded.flags == ["colour converted to grey", "coloured marks set off"]
    assert loaded.grey[100:106, 20:80].max() == 0


def test_a_jpeg_keeps_luminance(tmp_path: Path) -> None:
    # JPEG stores colour at half resolution: set off by colour, a mark's ends would move
    rgb = _grey_rgb(200)
    rgb[100:106, 20:80] = YELLOW
    cv2.imwrite(str(tmp_path / "m.jpg"), rgb[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, 95])
    loaded = read_image(tmp_path / "m.jpg")
    assert loaded.flags == ["colour converted to grey"]
    assert loaded.grey[101:105, 25:75].min() > 200
