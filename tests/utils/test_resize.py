"""resize_by: area averaging down, bilinear up, whole px and a least side."""

from __future__ import annotations

import numpy as np

from nanokit.utils.resize import resize_by


def test_factor_one_returns_the_image_itself() -> None:
    image = np.zeros((5, 7), np.uint8)
    assert resize_by(image, 1.0) is image


def test_reducing_averages_each_block() -> None:
    image = np.tile(np.array([[0, 200], [200, 0]], np.uint8), (4, 4))  # 8 x 8 checkerboard
    half = resize_by(image, 0.5)
    assert half.shape == (4, 4)
    assert np.all(half == 100)  # nearest neighbour would give 0 or 200


def test_enlarging_interpolates_and_rounds_the_sides() -> None:
    image = np.array([[0, 100]], np.float32)
    wide = resize_by(image, 2.5)
    assert wide.shape == (2, 5)
    assert 0 < wide[0, 2] < 100
    assert np.all(np.diff(wide[0]) >= 0)


def test_the_least_side_holds() -> None:
    assert resize_by(np.zeros((40, 400), np.uint8), 0.1, min_side=8).shape == (8, 40)
