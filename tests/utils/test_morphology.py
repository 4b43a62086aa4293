"""Grey reconstruction and h-maxima against scikit-image and hand-made domes."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage.morphology import reconstruction

from nanokit.utils.morphology import h_maxima, reconstruct_by_dilation


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reconstruction_matches_scikit_image(seed: int) -> None:
    rng = np.random.default_rng(seed)
    limit = rng.integers(0, 4000, (60, 80)).astype(np.uint16)
    marker = np.maximum(limit, 500) - 500
    expected = reconstruction(marker.astype(float), limit.astype(float), method="dilation")
    np.testing.assert_array_equal(reconstruct_by_dilation(marker, limit), expected)


def test_reconstruction_spreads_along_a_long_path() -> None:
    # A 1-px corridor 150 px long: the seed's value must travel its whole length.
    limit = np.zeros((5, 160), np.uint16)
    limit[2, 5:155] = 9
    seed = np.zeros_like(limit)
    seed[2, 5] = 7
    rebuilt = reconstruct_by_dilation(seed, limit)
    assert (rebuilt[2, 5:155] == 7).all() and rebuilt.sum() == 7 * 150


def test_h_maxima_keeps_only_domes_that_rise_enough() -> None:
    levels = np.zeros((20, 40), np.uint16)
    levels[5:15, 2:38] = 10  # plateau
    levels[8:12, 6:10] = 30  # dome 20 above the plateau
    levels[8:12, 28:32] = 14  # dome 4 above it
    domes = h_maxima(levels, 10)
    assert domes[8:12, 6:10].all()
    assert not domes[8:12, 28:32].any()
    assert domes.sum() == 16


def test_a_dome_with_two_equal_tops_is_one_dome() -> None:
    # An oval's distance map: a ridge whose top level is reached at two pixels 1 level apart
    # from a dip between them; the dip is far less than ``height`` deep, so it is one dome
    # (the top pixels alone gave two, and the sizer split the oval in two).
    levels = np.zeros((9, 30), np.uint16)
    levels[2:7, 2:28] = 20
    levels[4, 5:25] = 40
    levels[4, 8] = levels[4, 21] = 41
    domes = h_maxima(levels, 10)
    count = cv2.connectedComponents(domes.astype(np.uint8), connectivity=8)[0] - 1
    assert count == 1
    assert domes[4, 8] and domes[4, 21] and domes[4, 15]


def test_two_domes_separated_by_a_deep_saddle_stay_two() -> None:
    levels = np.zeros((9, 30), np.uint16)
    levels[4, 2:28] = 20
    levels[4, 5:10] = 40
    levels[4, 20:25] = 40
    domes = h_maxima(levels, 10)
    assert cv2.connectedComponents(domes.astype(np.uint8), connectivity=8)[0] - 1 == 2
