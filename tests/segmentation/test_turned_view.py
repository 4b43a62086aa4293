"""A second look at images of elongated particles, turned by 45 degrees: pieces of rods the
network cut because they lie along the image's axes are joined, nothing else is."""

from __future__ import annotations

import cv2
import numpy as np

from nanokit.segmentation.turned_view import elongated, join_cut, turned, turned_back
from nanokit.sizing._geometry import aspect_ratio, label_aspect_ratios

SUBSTRATE, PARTICLE = 180, 60


def test_aspect_ratios_of_all_particles_at_once_equal_each_one_alone() -> None:
    labels = np.zeros((200, 300), np.int32)
    cv2.ellipse(labels, (100, 100), (40, 10), 30, 0, 360, 1, -1)
    labels[10:20, 200:260] = 2
    cv2.circle(labels, (250, 150), 20, 4, -1)
    ratios = label_aspect_ratios(labels)
    assert np.isnan(ratios[0]) and np.isnan(ratios[3])
    for i in (1, 2, 4):
        assert abs(ratios[i] - aspect_ratio(labels == i)) < 1e-6
    assert abs(ratios[2] - 6.0) < 1e-6


def _rods(count: int, size: tuple[int, int] = (12, 40)) -> np.ndarray:
    labels = np.zeros((200, 400), np.int32)
    for i in range(count):
        x = 20 + 60 * i
        labels[80 : 80 + size[1], x : x + size[0]] = i + 1
    return labels


def test_images_of_many_elongated_particles_are_found() -> None:
    assert elongated(_rods(3))
    assert not elongated(_rods(2))  # too few to tell
    assert not elongated(_rods(4, size=(20, 24)))
    # rods cut by the frame do not count: 3 of them beside 3 round particles clear of it
    cut = np.zeros((200, 400), np.int32)
    for i in range(3):
        cut[0:40, 20 + 60 * i : 32 + 60 * i] = i + 1
        cv2.circle(cut, (60 + 100 * i, 150), 12, i + 4, -1)
    assert not elongated(cut)
    cut[0] = 0  # the same rods clear of the frame
    assert elongated(cut)


def test_probabilities_turned_and_back_land_where_they_were() -> None:
    grey = np.full((120, 200), SUBSTRATE, np.uint8)
    grey[40:60, 30:170] = PARTICLE
    image, matrix = turned(grey)
    assert image.shape[0] == image.shape[1] >= np.hypot(*grey.shape)
    back = turned_back(image[None].astype(np.float32), matrix, grey.shape)[0]
    rod, rod_back = grey < 120, back < 120  # edges come back blurred by two interpolations
    assert (rod & rod_back).sum() / (rod | rod_back).sum() > 0.97
    assert (
        np.abs(back[rod & (cv2.erode(rod.astype(np.uint8), np.ones((5, 5))) > 0)] - PARTICLE).max()
        < 2
    )


def _cut_rod(gap_grey: int, gap_class: int) -> tuple[np.ndarray, ...]:
    """A horizontal rod (px 40-59 x 30-169) that the plain look cut into two pieces with a
    ``gap_class`` gap (0 background, 2 boundary) of ``gap_grey``, and the turned look whole;
    two round particles beside it."""
    grey = np.full((120, 260), SUBSTRATE, np.uint8)
    grey[40:60, 30:170] = PARTICLE
    grey[40:60, 90:110] = gap_grey
    labels = np.zeros(grey.shape, np.int32)
    labels[40:60, 30:90], labels[40:60, 110:170] = 1, 2
    for i, cx in enumerate((210, 240), 3):
        cv2.circle(grey, (cx, 90), 10, PARTICLE, -1)
        cv2.circle(labels, (cx, 90), 10, i, -1)
    whole = np.zeros_like(labels)
    whole[40:60, 30:170] = 7
    whole[labels >= 3] = labels[labels >= 3] + 10
    probs = np.zeros((3, *grey.shape), np.float32)
    probs[0] = labels == 0
    probs[1] = labels > 0
    gap = (slice(40, 60), slice(90, 110))
    probs[:, gap[0], gap[1]] = 0
    probs[gap_class][gap] = 1
    return labels, whole, probs, grey


def test_a_rod_cut_across_background_of_its_own_grey_is_joined() -> None:
    labels, whole, probs, grey = _cut_rod(gap_grey=PARTICLE, gap_class=0)
    joined = join_cut(labels, whole, probs, grey)
    rod = joined[50, 30:170]
    assert (rod > 0).all() and len(np.unique(rod)) == 1
    assert len(np.unique(joined[joined > 0])) == 3  # the round particles untouched


def test_particles_parted_by_a_boundary_or_by_substrate_stay_apart() -> None:
    for gap_grey, gap_class in ((PARTICLE, 2), (SUBSTRATE, 0)):
        labels, whole, probs, grey = _cut_rod(gap_grey, gap_class)
        assert np.array_equal(join_cut(labels, whole, probs, grey), labels)


def test_the_turned_look_adds_no_particle_and_takes_none_from_others() -> None:
    labels, whole, probs, grey = _cut_rod(gap_grey=PARTICLE, gap_class=0)
    extra = whole.copy()
    extra[5:25, 5:60] = 30  # a particle only the turned look sees
    extra[labels >= 3] = 7  # the turned rod swallows the round particles too
    extra[40:60, 170:240] = 7
    result = join_cut(labels, extra, probs, grey)
    assert np.array_equal(result, labels)
    assert not result[5:25, 5:60].any()
