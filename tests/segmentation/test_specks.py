"""Specks: particles far smaller than the typical one, dropped unless they are distinct."""

from __future__ import annotations

import cv2
import numpy as np

from nanokit.segmentation.specks import drop_label_specks


def _scene() -> tuple[np.ndarray, np.ndarray]:
    """Three plates of 60 px (ids 1-3), a bright dot of 8 px on its own (4), a faint smudge of
    8 px (5), a fragment of 8 px against plate 3 (6) and a bright strip of 2 x 12 px on its own
    (7), as labels and a grey image."""
    labels = np.zeros((200, 300), np.int32)
    grey = np.full((200, 300), 60, np.float32)
    for i, (x, y) in enumerate([(50, 50), (150, 50), (250, 120)], start=1):
        cv2.circle(labels, (x, y), 30, i, -1)
        cv2.circle(grey, (x, y), 30, 160, -1)
    for i, (x, y, value) in enumerate([(60, 150, 220), (150, 160, 75), (250, 86, 160)], start=4):
        cv2.circle(labels, (x, y), 4, i, -1)
        cv2.circle(grey, (x, y), 4, value, -1)
    labels[170:172, 200:212] = 7
    grey[170:172, 200:212] = 160
    return labels, grey.astype(np.uint8)


def test_specks_are_dropped_by_size_alone_without_the_image() -> None:
    labels, _ = _scene()
    assert set(np.unique(drop_label_specks(labels))) == {0, 1, 2, 3}


def test_a_small_particle_as_distinct_as_the_large_ones_is_kept() -> None:
    labels, grey = _scene()
    kept = set(np.unique(drop_label_specks(labels, grey)))
    assert 4 in kept  # bright and on its own: a second, smaller population
    assert 5 not in kept  # faint: substrate texture
    assert 6 not in kept  # against a plate: a fragment
    assert 7 not in kept  # a strip: a sliver or a piece of lettering
    assert {1, 2, 3} <= kept


def test_debris_far_smaller_than_the_particles_is_not_kept() -> None:
    """A bright dot of 6 px beside a particle of 200 px: distinct in contrast, but debris."""
    labels = np.zeros((300, 400), np.int32)
    grey = np.full((300, 400), 60, np.float32)
    cv2.circle(labels, (150, 150), 100, 1, -1)
    cv2.circle(grey, (150, 150), 100, 160, -1)
    labels[20:26, 340:346] = 2
    grey[20:26, 340:346] = 170
    kept = set(np.unique(drop_label_specks(labels, grey.astype(np.uint8))))
    assert kept == {0, 1}


def test_large_faint_regions_do_not_make_the_particles_specks() -> None:
    """Thirty dark dots of 10 px beside two large faint regions (a carbon film's folds): by area
    the faint regions are typical and every dot would be a speck; they are faint, so the dots
    set the typical size and stay."""
    labels = np.zeros((300, 400), np.int32)
    grey = np.full((300, 400), 180, np.float32)
    cv2.rectangle(labels, (0, 200), (180, 299), 1, -1)
    cv2.rectangle(grey, (0, 200), (180, 299), 172, -1)
    cv2.rectangle(labels, (220, 200), (399, 299), 2, -1)
    cv2.rectangle(grey, (220, 200), (399, 299), 172, -1)
    for i in range(30):
        centre = (20 + (i % 10) * 38, 30 + (i // 10) * 50)
        cv2.circle(labels, centre, 5, 3 + i, -1)
        cv2.circle(grey, centre, 5, 60, -1)
    kept = set(np.unique(drop_label_specks(labels, grey.astype(np.uint8))))
    assert set(range(3, 33)) <= kept
    assert not set(range(3, 33)) & set(np.unique(drop_label_specks(labels)))  # by area alone
