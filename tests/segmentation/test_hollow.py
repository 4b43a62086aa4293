"""Hollow particles: a substrate-grey centre enclosed by the arcs of a ring becomes one particle
with them; pockets of substrate, neighbours in a packing and dark cores are left alone."""

from __future__ import annotations

import numpy as np
import pytest

from nanokit.segmentation.hollow import join_hollow

SUBSTRATE, DARK = 170, 70


def _ring_scene(centre_label: bool) -> tuple[np.ndarray, np.ndarray]:
    """A dark ring (outer radius 30, inner 18) broken into 3 arcs around a substrate-grey centre,
    beside two dark discs; (grey, labels). The centre is a particle of its own, with gaps
    between the arcs, or background enclosed by arcs that touch."""
    grey = np.full((160, 240), SUBSTRATE, np.uint8)
    labels = np.zeros(grey.shape, np.int32)
    yy, xx = np.mgrid[:160, :240]
    r = np.hypot(yy - 80, xx - 80)
    angle = np.degrees(np.arctan2(yy - 80, xx - 80)) % 360
    ring = (r <= 30) & (r > 18)
    grey[ring] = DARK
    gap = 4 if centre_label else 0
    for i, start in enumerate((0, 120, 240), start=2):
        labels[ring & (angle >= start + gap) & (angle < start + 120 - gap)] = i
    if centre_label:
        labels[r <= 18] = 1
    for i, cx in enumerate((180, 215), start=5):
        disc = np.hypot(yy - 60, xx - cx) <= 12
        grey[disc], labels[disc] = DARK, i
    return grey, labels


def test_a_broken_ring_and_its_centre_become_one_particle() -> None:
    grey, labels = _ring_scene(centre_label=True)
    joined = join_hollow(labels, grey)
    ring = joined[80, 80]
    assert ring > 0 and (joined[np.hypot(*np.mgrid[-80:80, -80:160]) <= 29] == ring).all()
    assert np.count_nonzero(joined == ring) == pytest.approx(np.pi * 30**2, rel=0.1)
    assert len(np.unique(joined)) == 4  # background, the ring, the two discs
    assert (joined[labels == 5] == joined[60, 180]).all()


def test_substrate_enclosed_by_particles_is_left_alone() -> None:
    # the network saw no particle in the centre: a pocket of substrate in a clump of particles
    # (EMPS train 5898a2ac02: seven particles around one): without a centre of its own, no ring
    grey, labels = _ring_scene(centre_label=False)
    assert (join_hollow(labels, grey) == labels).all()


def test_particles_of_a_packing_and_dark_cores_are_left_alone() -> None:
    grey, labels = _ring_scene(centre_label=True)
    # neighbours that reach far beyond the centre's surroundings: a packing, not a ring
    big = labels.copy()
    big[(big >= 2) & (big <= 4)] = 0
    yy, xx = np.mgrid[:160, :240]
    for i, (cy, cx) in enumerate(((80, 35), (35, 100), (125, 100)), start=2):
        disc = (np.hypot(yy - cy, xx - cx) <= 45) & (big == 0) & (np.hypot(yy - 80, xx - 80) > 18)
        big[disc] = i
        grey[disc] = DARK
    assert (join_hollow(big, grey) == big).all()
    # a dark core is a particle of its own kind (core-shell), not a hollow centre
    cored = grey.copy()
    cored[labels == 1] = DARK
    assert (join_hollow(labels, cored) == labels).all()


def test_a_pocket_with_particles_along_one_side_is_left_alone() -> None:
    # substrate enclosed by a thin frame of particles with a thick one along its bottom: not a
    # ring around it (the centroid of the lot lies far below the pocket's), as where rods cross
    grey = np.full((120, 160), SUBSTRATE, np.uint8)
    labels = np.zeros(grey.shape, np.int32)
    labels[30:34, 40:120] = 1  # top
    labels[34:60, 40:44] = 2  # left
    labels[34:60, 116:120] = 3  # right
    labels[60:80, 40:120] = 4  # thick bottom
    grey[labels > 0] = DARK
    yy, xx = np.mgrid[:120, :160]
    far = np.hypot(yy - 100, xx - 140) <= 8  # another particle
    labels[far], grey[far] = 5, DARK
    assert (join_hollow(labels, grey) == labels).all()
