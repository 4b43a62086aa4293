"""Shape descriptors on drawn discs and rectangles with known values."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from nanokit.sizing._geometry import (
    aspect_ratio,
    circularity,
    convex_hull,
    ecd,
    feret_diameters,
    shape_descriptors,
)


def _disc(radius: int) -> np.ndarray:
    size = 2 * radius + 9
    image = np.zeros((size, size), np.uint8)
    cv2.circle(image, (size // 2, size // 2), radius, 1, -1)
    return image > 0


def _rect(width: int, height: int) -> np.ndarray:
    image = np.zeros((height + 6, width + 6), bool)
    image[3 : 3 + height, 3 : 3 + width] = True
    return image


def test_ecd_of_known_areas() -> None:
    assert ecd(math.pi * 25) == pytest.approx(10.0)
    np.testing.assert_allclose(ecd(np.array([math.pi, 4 * math.pi])), [2.0, 4.0])


@pytest.mark.parametrize("radius", [10, 30])
def test_disc_descriptors(radius: int) -> None:
    d = shape_descriptors(_disc(radius))
    # cv2.circle covers about pi * r**2 px, 2r + 1 px across.
    assert d["ecd_px"] == pytest.approx(2 * radius, rel=0.02)
    assert d["ecd_px"] == pytest.approx(math.sqrt(4 * d["area_px"] / math.pi))
    assert d["feret_max_px"] == pytest.approx(2 * radius + 1, rel=0.04)
    assert d["feret_min_px"] == pytest.approx(2 * radius + 1, rel=0.04)
    assert d["aspect_ratio"] == pytest.approx(1.0, abs=0.02)
    assert d["circularity"] > 0.93


def test_rectangle_descriptors() -> None:
    d = shape_descriptors(_rect(40, 20))
    assert d["area_px"] == 800
    assert d["feret_max_px"] == pytest.approx(math.hypot(40, 20))
    assert d["feret_min_px"] == pytest.approx(20.0)
    assert d["aspect_ratio"] == pytest.approx(2.0)
    assert d["circularity"] == pytest.approx(4 * math.pi * 800 / 120**2, abs=0.06)


def test_rotated_rectangle_feret() -> None:
    image = np.zeros((120, 120), np.uint8)
    box = cv2.boxPoints(((60, 60), (60, 20), 30.0)).astype(np.int32)
    cv2.fillConvexPoly(image, box, 1)
    fmax, fmin = feret_diameters(convex_hull(image > 0))
    # fillConvexPoly also fills the pixels the outline passes through: about 1 px wider.
    assert fmax == pytest.approx(math.hypot(61, 21), abs=2.0)
    assert fmin == pytest.approx(21.0, abs=1.5)
    assert aspect_ratio(image > 0) == pytest.approx(3.0, rel=0.08)


def test_circularity_is_clipped_and_safe() -> None:
    assert circularity(100.0, 0.0) == 0.0
    assert circularity(1000.0, 10.0) == 1.0
    assert circularity(math.pi * 100, 2 * math.pi * 10) == pytest.approx(1.0)


def test_hull_and_centroid_of_random_regions() -> None:
    rng = np.random.default_rng(3)
    half = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]])
    for _ in range(200):
        region = rng.random(tuple(rng.integers(1, 30, 2))) < rng.uniform(0.2, 0.9)
        if not region.any():
            continue
        ys, xs = np.nonzero(region)
        # The hull of every pixel square of the region (not only the boundary's).
        corners = (np.stack([xs, ys], axis=1)[:, None, :] + half[None]).reshape(-1, 2)
        expected = cv2.convexHull(corners.astype(np.float32)).reshape(-1, 2)
        assert {tuple(v) for v in convex_hull(region)} == {tuple(v) for v in expected}
        d = shape_descriptors(region)
        assert (d["cx_px"], d["cy_px"], d["area_px"]) == (xs.mean(), ys.mean(), xs.size)


@pytest.mark.parametrize("radius", [1, 3, 7, 20])
def test_convex_particles_have_solidity_one(radius: int) -> None:
    assert shape_descriptors(_disc(radius))["solidity"] == pytest.approx(1.0, abs=0.01)
    assert shape_descriptors(_rect(3 * radius + 1, radius + 1))["solidity"] == pytest.approx(1.0)


def test_two_touching_discs_are_not_convex() -> None:
    region = np.zeros((60, 90), np.uint8)
    cv2.circle(region, (25, 30), 15, 1, -1)
    cv2.circle(region, (56, 30), 15, 1, -1)
    cv2.line(region, (40, 30), (41, 30), 1)  # joined by a pixel bridge
    assert shape_descriptors(region)["solidity"] < 0.9
