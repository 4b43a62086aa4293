"""Network class probabilities -> particle labels, for each head."""

from __future__ import annotations

import numpy as np
import pytest

from nanokit.datasets.instance_targets import DISTANCE_BINS, boundary_target, distance_target
from nanokit.segmentation.instance_decoding import (
    _seeded_watershed,
    foreground,
    labels_from_binary,
    labels_from_boundary,
    labels_from_distance,
)
from nanokit.segmentation.instance_segmenter import certainty


def _two_touching_discs() -> np.ndarray:
    yy, xx = np.mgrid[:60, :90]
    labels = np.zeros((60, 90), dtype=np.int32)
    labels[(yy - 30) ** 2 + (xx - 28) ** 2 <= 18**2] = 1
    labels[(yy - 30) ** 2 + (xx - 62) ** 2 <= 18**2] = 2  # overlaps disc 1: they touch
    labels[(yy - 8) ** 2 + (xx - 84) ** 2 <= 2**2] = 3  # too small for an interior of its own
    return labels


def _soft_onehot(target: np.ndarray, classes: int, sure: float = 0.9) -> np.ndarray:
    probs = np.full((classes, *target.shape), (1 - sure) / (classes - 1), dtype=np.float32)
    for c in range(classes):
        probs[c][target == c] = sure
    return probs


def test_boundary_head_parts_touching_particles_that_binary_merges() -> None:
    truth = _two_touching_discs()
    probs = _soft_onehot(boundary_target(truth), 3)
    binary = labels_from_binary(probs)
    split = labels_from_boundary(probs)
    assert binary.max() == 2  # the discs as one clump, and the small particle
    assert split.max() == 3
    for ident in (1, 2):
        # each true disc is (almost) one predicted particle
        values, counts = np.unique(split[truth == ident], return_counts=True)
        assert counts.max() / counts.sum() > 0.95 and values[counts.argmax()] > 0
    # the small seedless particle is kept, the background stays background
    assert split[8, 84] > 0 and (split[truth == 0] == 0).mean() > 0.99


def test_distance_head_parts_touching_particles() -> None:
    truth = _two_touching_discs()
    probs = _soft_onehot(distance_target(truth), DISTANCE_BINS + 1)
    labels = labels_from_distance(probs)
    assert labels.max() == 3
    majority = []
    for ident in (1, 2):
        # quantised levels are plateaus: the split follows the contact give or take a pixel
        values, counts = np.unique(labels[truth == ident], return_counts=True)
        assert counts.max() / counts.sum() > 0.95
        majority.append(values[counts.argmax()])
    assert majority[0] != majority[1] and min(majority) > 0


def test_empty_probabilities_give_no_particles_and_full_certainty() -> None:
    probs = _soft_onehot(np.zeros((40, 40), dtype=np.int32), 3, sure=0.99)
    labels = labels_from_boundary(probs)
    assert labels.max() == 0
    assert certainty(probs, labels) == 1.0


def test_certainty_drops_where_the_network_hesitates() -> None:
    truth = _two_touching_discs()
    sure = _soft_onehot(boundary_target(truth), 3, sure=0.95)
    unsure = _soft_onehot(boundary_target(truth), 3, sure=0.5)
    labels = labels_from_boundary(sure)
    assert certainty(sure, labels) > 0.9 > 0.6 > certainty(unsure, labels)


def test_typical_diameter_is_the_area_weighted_median() -> None:
    from nanokit.segmentation.specks import typical_label_diameter

    labels = np.zeros((100, 200), dtype=np.int32)
    labels[:40, :40] = 1  # one large particle holds most of the area
    for i in range(5):
        labels[60:64, 10 * i : 10 * i + 4] = i + 2  # five small ones
    assert typical_label_diameter(labels) == pytest.approx(np.sqrt(4 * 1600 / np.pi), rel=0.01)
    assert typical_label_diameter(np.zeros((10, 10), dtype=np.int32)) is None


def test_neighbours_without_a_boundary_between_them_are_one_particle() -> None:
    """A disc whose interior probability dips under the seed threshold across its middle
    (a porous particle) seeds two regions; with no boundary there they merge. Two touching
    discs with the boundary band between them stay apart."""
    truth = _two_touching_discs()
    probs = _soft_onehot(boundary_target(truth), 3)
    two = labels_from_boundary(probs)
    assert two.max() == 3
    dipped = _soft_onehot(boundary_target((truth == 1).astype(np.int32)), 3)
    dip = (truth == 1) & (np.arange(90) >= 27) & (np.arange(90) < 30)
    dipped[:, dip] = np.array([0.45, 0.45, 0.1], np.float32)[:, None]
    seeded = _seeded_watershed(dipped[1], dipped[1] > 0.5, foreground(dipped))
    assert seeded.max() == 2  # the dip parts the seeds ...
    one = labels_from_boundary(dipped)
    assert one.max() == 1  # ... but no boundary runs there
    assert (one > 0).sum() == (seeded > 0).sum()
