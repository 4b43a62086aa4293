"""Particles kept as one although their outline shows two bodies: split at the neck."""

from __future__ import annotations

import cv2
import numpy as np

from nanokit.segmentation.neck_split import split_at_necks


def _discs(*discs: tuple[int, int, int], label: int = 1, shape=(80, 120)) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    for x, y, r in discs:
        cv2.circle(mask, (x, y), r, 1, -1)
    return (mask * label).astype(np.int32)


def test_two_bodies_joined_by_a_neck_become_two_particles() -> None:
    labels = _discs((35, 40, 18), (65, 40, 18))
    out = split_at_necks(labels, 1.0, 0.1)
    ids, areas = np.unique(out[out > 0], return_counts=True)
    assert len(ids) == 2
    assert abs(int(areas[0]) - int(areas[1])) < 0.1 * areas.max()  # parted in the middle
    assert (out > 0).sum() == (labels > 0).sum()  # no pixel lost


def test_round_and_elongated_particles_stay_whole() -> None:
    round_one = _discs((40, 40, 20))
    assert np.array_equal(split_at_necks(round_one, 1.0, 0.1), round_one)
    rod = np.zeros((80, 120), np.int32)
    cv2.ellipse(rod, (60, 40), (45, 12), 0, 0, 360, 1, -1)  # no neck: one body
    assert np.array_equal(split_at_necks(rod, 1.0, 0.1), rod)


def test_neighbours_are_measured_each_on_its_own() -> None:
    """Two round particles that touch but are already parted keep their ids and pixels."""
    labels = _discs((35, 40, 18)) + _discs((70, 40, 18), label=2)
    labels[labels == 3] = 2  # the overlap belongs to the second
    assert np.array_equal(split_at_necks(labels, 1.0, 0.1), labels)


def test_empty_labels_pass_through() -> None:
    empty = np.zeros((10, 10), np.int32)
    assert not split_at_necks(empty, 1.0, 0.1).any()


def test_a_particle_merged_with_one_cut_by_the_frame_comes_apart() -> None:
    """Two discs joined by a deep neck, one cut by the image's left edge: the one clear of the
    edge is a whole particle of its own (kept whole, it would be lost with the cut one)."""
    labels = _discs((5, 40, 18), (35, 40, 18))
    out = split_at_necks(labels, 1.0, 0.1)
    assert len(np.unique(out[out > 0])) == 2
    clear = np.unique(out[:, 30:][out[:, 30:] > 0])
    assert len(clear) == 1 and not (out[:, 0] == clear[0]).any()
    assert abs(int((out == clear[0]).sum()) - np.pi * 18**2) < 0.25 * np.pi * 18**2


def test_an_irregular_body_is_not_split_off_a_particle_cut_by_the_frame() -> None:
    """A crescent joined to a disc cut by the frame: the part clear of the edge is not convex
    (a piece of a texture or of an object running out of the image), so nothing is split."""
    labels = _discs((5, 40, 18))
    cv2.ellipse(labels, (50, 40), (22, 22), 0, -120, 120, 1, 9)
    assert np.array_equal(split_at_necks(labels, 1.0, 0.1), labels)
