"""Clumps no larger than one particle are joined; clumps of two particles and images without a
size to judge by are left alone."""

from __future__ import annotations

import numpy as np

from nanokit.segmentation.small_clumps import join_small_clumps


def _disc(labels: np.ndarray, cy: int, cx: int, radius: float, value: int) -> np.ndarray:
    """Paint a disc of ``value`` into ``labels``; its mask."""
    yy, xx = np.mgrid[: labels.shape[0], : labels.shape[1]]
    disc = np.hypot(yy - cy, xx - cx) <= radius
    labels[disc] = value
    return disc


def _scene(lone: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``lone`` discs of radius 10 apart, a disc of the same size cut in two, and two such discs
    touching; (labels, the cut disc, the touching pair)."""
    labels = np.zeros((120, 200), np.int32)
    for i in range(lone):
        _disc(labels, 20, 20 + 40 * i, 10, i + 1)
    cut = _disc(labels, 70, 30, 10, 20)
    labels[cut & (np.arange(200) >= 30)] = 21
    pair = _disc(labels, 70, 100, 10, 22) | _disc(labels, 70, 120, 10, 23)
    return labels, cut, pair


def test_a_particle_cut_in_two_becomes_one() -> None:
    labels, cut, _ = _scene()
    joined = join_small_clumps(labels)
    assert len(np.unique(joined[cut])) == 1 and joined[cut][0] > 0


def test_two_touching_particles_stay_apart() -> None:
    labels, _, pair = _scene()
    joined = join_small_clumps(labels)
    assert len(np.unique(joined[pair])) == 2


def test_particles_keep_their_pixels_and_ids_stay_consecutive() -> None:
    labels, _, _ = _scene()
    joined = join_small_clumps(labels)
    assert ((joined > 0) == (labels > 0)).all()
    assert np.array_equal(np.unique(joined), np.arange(joined.max() + 1))
    assert joined.max() == len(np.unique(labels)) - 2  # background and one piece fewer


def test_without_enough_lone_particles_nothing_is_joined() -> None:
    labels, cut, _ = _scene(lone=2)
    assert len(np.unique(join_small_clumps(labels)[cut])) == 2


def test_a_cut_particle_at_the_frame_is_no_lone_particle() -> None:
    """Lone particles cut by the frame do not count (their size is not known): with two lone
    discs inside and two cut by the frame there is no size to judge by."""
    labels, cut, _ = _scene(lone=2)
    _disc(labels, 115, 180, 10, 30)
    _disc(labels, 5, 190, 10, 31)
    assert len(np.unique(join_small_clumps(labels)[cut])) == 2


def test_a_small_particle_touching_a_larger_one_stays_apart() -> None:
    """Together they cover less than one and a half lone particles, but they meet along a short
    line, not from edge to edge."""
    labels, _, _ = _scene()
    small_pair = _disc(labels, 100, 160, 10, 40) | _disc(labels, 100, 175, 5, 41)
    assert small_pair.sum() < 1.5 * (labels == 1).sum()
    assert len(np.unique(join_small_clumps(labels)[small_pair])) == 2


def test_a_rod_cut_across_becomes_one() -> None:
    """A rod cut across (pieces meeting along its whole width) among lone rods of its size."""
    labels = np.zeros((100, 200), np.int32)
    for i in range(4):
        labels[10 + 20 * i : 18 + 20 * i, 10:70] = i + 1
    labels[10:18, 100:140] = 10
    labels[10:18, 140:160] = 11
    joined = join_small_clumps(labels)
    assert len(np.unique(joined[10:18, 100:160])) == 1


def test_a_few_small_particles_among_large_lone_ones_stay_apart() -> None:
    """Three small touching discs cover less than one and a half lone particles, but touch
    along short lines."""
    labels, _, _ = _scene()
    trio = (
        _disc(labels, 100, 150, 5, 50)
        | _disc(labels, 100, 160, 5, 51)
        | _disc(labels, 91, 155, 5, 52)
    )
    assert trio.sum() < 1.5 * (labels == 1).sum()
    assert len(np.unique(join_small_clumps(labels)[trio])) == 3


def test_a_particle_cut_in_three_becomes_one() -> None:
    labels, _, _ = _scene()
    disc = _disc(labels, 100, 160, 10, 60)
    columns = np.arange(200)
    labels[disc & (columns >= 157)] = 61
    labels[disc & (columns >= 164)] = 62
    assert len(np.unique(join_small_clumps(labels)[disc])) == 1
