"""Sizers: watershed splitting, minimum size, border and data-bar exclusion."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from nanokit.registry import SIZERS
from nanokit.sizing.frame import valid_rows
from nanokit.sizing.sizers import EcdSizer, WatershedSizer, describe


def _two_touching_discs() -> np.ndarray:
    mask = np.zeros((80, 110), np.uint8)
    cv2.circle(mask, (35, 40), 16, 1, -1)
    cv2.circle(mask, (63, 40), 16, 1, -1)
    return mask > 0


def test_watershed_splits_two_touching_discs() -> None:
    mask = _two_touching_discs()
    assert len(EcdSizer()(mask).particles) == 1
    result = WatershedSizer()(mask)
    assert len(result.particles) == 2
    assert result.labels.max() == 2
    assert {p["touching"] for p in result.particles} == {True}
    xs = sorted(p["cx_px"] for p in result.particles)
    assert xs[0] == pytest.approx(35, abs=2) and xs[1] == pytest.approx(63, abs=2)
    # The halves share the union's area, each close to one disc.
    for p in result.particles:
        assert p["ecd_px"] == pytest.approx(31, rel=0.08)


def test_watershed_keeps_single_and_tiny_particles_whole() -> None:
    mask = np.zeros((60, 60), np.uint8)
    cv2.circle(mask, (20, 20), 10, 1, -1)
    cv2.ellipse(mask, (40, 45), (12, 6), 0, 0, 360, 1, -1)
    mask[5:7, 50:53] = 1  # 6 px: seedless and below min_area_px
    result = WatershedSizer(min_area_px=5)(mask > 0)
    areas = np.bincount(cv2.connectedComponents(mask)[1].ravel())[1:]
    assert sorted(p["area_px"] for p in result.particles) == sorted(areas)
    assert not any(p["touching"] for p in result.particles)


def test_watershed_splits_a_pair_and_leaves_a_lone_disc_as_it_is() -> None:
    mask = np.zeros((80, 160), np.uint8)
    mask[:, :110] = _two_touching_discs()
    cv2.circle(mask, (135, 40), 12, 1, -1)
    lone = np.zeros_like(mask)
    cv2.circle(lone, (135, 40), 12, 1, -1)
    result = WatershedSizer()(mask > 0)
    assert len(result.particles) == 3
    single = [p for p in result.particles if not p["touching"]]
    assert [p["area_px"] for p in single] == [lone.sum()]


def test_min_size_filter_renumbers() -> None:
    mask = np.zeros((50, 50), bool)
    mask[10:13, 10:13] = True  # 9 px
    mask[30:40, 30:40] = True  # 100 px
    result = EcdSizer(min_area_px=10)(mask)
    assert [p["area_px"] for p in result.particles] == [100]
    assert result.particles[0]["particle_id"] == 1
    assert set(np.unique(result.labels)) == {0, 1}


def test_border_particles_are_flagged() -> None:
    mask = np.zeros((50, 60), bool)
    mask[0:8, 20:30] = True  # top edge
    mask[20:30, 52:60] = True  # right edge
    mask[20:30, 20:30] = True  # inside
    flags = sorted((p["cx_px"], p["touches_border"]) for p in EcdSizer()(mask).particles)
    assert [f for _, f in flags] == [False, True, True]


def test_databar_is_never_a_particle_and_cuts_particles() -> None:
    mask = np.zeros((100, 80), bool)
    mask[85:100, :] = True  # a bright data bar at the bottom (rows 85..99)
    mask[70:85, 30:45] = True  # particle reaching the bar
    mask[20:35, 30:45] = True  # particle well inside
    result = EcdSizer()(mask, databar_rows=(85, 99))
    assert len(result.particles) == 2
    assert not result.labels[85:].any()
    by_y = sorted(result.particles, key=lambda p: p["cy_px"])
    assert [p["touches_border"] for p in by_y] == [False, True]


def test_valid_rows_for_top_and_bottom_bars() -> None:
    assert valid_rows(100, None) == (0, 100)
    assert valid_rows(100, (85, 99)) == (0, 85)
    assert valid_rows(100, (0, 9)) == (10, 100)


def test_describe_instance_labels() -> None:
    labels = np.zeros((40, 40), np.int32)
    labels[5:15, 5:15] = 7
    labels[20:30, 20:35] = 3
    result = describe(labels)
    assert [p["area_px"] for p in result.particles] == [150, 100]
    assert result.labels.max() == 2


def test_sizers_are_registered() -> None:
    # module_dict, not get(): get() logs through mmengine, which imports torch (slow).
    assert SIZERS.module_dict["EcdSizer"] is EcdSizer
    assert SIZERS.module_dict["WatershedSizer"] is WatershedSizer
    with pytest.raises(ValueError, match="connectivity"):
        EcdSizer(connectivity=6)


def test_watershed_keeps_an_oval_whole() -> None:
    # An oval (r = 10 px (1 + 0.15 cos 2 theta)) whose distance map peaks on two equal pixels
    # that do not touch: one particle all the same.
    yy, xx = np.mgrid[0:40, 0:40].astype(float)
    theta = np.arctan2(yy - 19.6, xx - 19.76)
    mask = np.hypot(xx - 19.76, yy - 19.6) <= 10 * (1 + 0.15 * np.cos(2 * theta + 0.7))
    result = WatershedSizer()(mask)
    assert len(result.particles) == 1
    assert result.particles[0]["area_px"] == mask.sum()
