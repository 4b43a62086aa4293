"""Coloured marks on a grey micrograph become white or black, not their luminance."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from nanokit.io import read_image, to_grey8
from nanokit.io.colour_marks import find_marks, marks_grey, without_marks

YELLOW, BLUE = (255, 255, 0), (0, 0, 255)


def _set_off(rgb: np.ndarray) -> np.ndarray | None:
    marks = find_marks(rgb)
    return None if marks is None else marks_grey(rgb, marks)


def _grey_rgb(level: int, shape: tuple[int, int] = (120, 160), seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    grey = np.clip(rng.normal(level, 6, shape), 0, 255).astype(np.uint8)
    return np.repeat(grey[..., None], 3, axis=2)


@pytest.mark.parametrize(
    ("ground", "colour", "mark"),
    [
        (200, YELLOW, 0),  # luminance 226: hardly brighter than the ground; black sets it off
        (40, BLUE, 255),  # luminance 29: as dark as the ground; white sets it off
    ],
)
def test_marks_become_white_or_black_against_their_ground(
    ground: int, colour: tuple[int, int, int], mark: int
) -> None:
    rgb = _grey_rgb(ground)
    rgb[100:106, 20:80] = colour
    grey = _set_off(rgb)
    assert grey is not None
    np.testing.assert_array_equal(grey[100:106, 20:80], mark)
    np.testing.assert_array_equal(grey[:90], rgb[:90, :, 0])  # grey pixels keep their grey


def test_anti_aliased_edge_goes_part_of_the_way() -> None:
    rgb = _grey_rgb(40)
    rgb[100:106, 20:80] = BLUE
    rgb[106, 20:80] = np.round(0.5 * rgb[107, 20:80] + 0.5 * np.array(BLUE))  # half covered
    grey = _set_off(rgb)
    assert grey is not None
    edge = grey[106, 20:80].astype(float)
    assert np.all((edge > 120) & (edge < 170))  # half-way between the ground (~40) and white


def test_colour_pictures_tints_and_specks_keep_luminance() -> None:
    rng = np.random.default_rng(1)
    assert find_marks(rng.integers(0, 256, (80, 100, 3), dtype=np.uint8)) is None
    tinted = _grey_rgb(120).astype(np.int16)
    tinted[..., 2] += 20  # a bluish micrograph
    tinted_bar = np.clip(tinted, 0, 255).astype(np.uint8)
    tinted_bar[60:64, 10:70] = YELLOW
    assert find_marks(tinted_bar) is None
    specks = _grey_rgb(120)
    specks[5, 5:15] = YELLOW  # ten coloured pixels: noise, not marks
    assert find_marks(specks) is None


def test_read_image_says_marks_were_set_off(tmp_path: Path) -> None:
    rgb = _grey_rgb(200)
    rgb[100:106, 20:80] = YELLOW
    cv2.imwrite(str(tmp_path / "m.png"), rgb[..., ::-1])
    loaded = read_image(tmp_path / "m.png")
    assert loaded.flags == ["colour converted to grey", "coloured marks"]
    assert loaded.grey[100:106, 20:80].max() == 0


def test_a_jpeg_keeps_luminance(tmp_path: Path) -> None:
    # JPEG stores colour at half resolution: set off by colour, a mark's ends would move
    rgb = _grey_rgb(200)
    rgb[100:106, 20:80] = YELLOW
    cv2.imwrite(str(tmp_path / "m.jpg"), rgb[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, 95])
    loaded = read_image(tmp_path / "m.jpg")
    assert loaded.flags == ["colour converted to grey", "coloured marks"]
    assert loaded.marks is not None and loaded.marks[102, 50]  # still left out of measuring
    assert loaded.grey[101:105, 25:75].min() > 200


def test_marks_are_filled_in_from_around_them() -> None:
    rgb = _grey_rgb(120)
    rgb[60:64, 10:150] = YELLOW  # an arrow's shaft across the micrograph
    loaded = to_grey8(rgb)
    assert loaded.marks is not None and loaded.marks[62, 80] and not loaded.marks[30, 80]
    seen = without_marks(loaded.grey, loaded.marks)
    assert abs(int(np.median(seen[58:66, 20:140])) - 120) < 10  # ground again, not a line
    np.testing.assert_array_equal(seen[:50], loaded.grey[:50])  # away from the marks: as read


def test_particles_coloured_in_are_no_marks() -> None:
    # a false-colour figure: the particles tinted, the ground grey; measured as before
    rgb = _grey_rgb(90, shape=(300, 400))
    for k in range(12):
        cv2.circle(rgb, (30 + 30 * k, 150 + (k % 3) * 40), 9, (40, 200, 90), -1)
    assert find_marks(rgb) is None
    only_arrow = _grey_rgb(90, shape=(300, 400))
    cv2.arrowedLine(only_arrow, (20, 20), (60, 60), (255, 255, 0), 2)
    assert find_marks(only_arrow) is not None  # an arrow is a mark
