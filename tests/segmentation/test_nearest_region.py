"""The nearest region of every pixel: the rings of substrate that background levels come from."""

from __future__ import annotations

import numpy as np
import pytest

from nanokit.segmentation.region_stats import nearest_region
from nanokit.segmentation.substrate import ring_median


def _touching_squares() -> np.ndarray:
    labels = np.zeros((40, 60), np.int32)
    labels[15:25, 20:30] = 1
    labels[15:25, 30:40] = 2  # touches 1 along a column
    return labels


def test_touching_regions_each_own_the_substrate_on_their_side() -> None:
    labels = _touching_squares()
    distance, owner = nearest_region(labels)
    assert distance[20, 25] == 0 and owner[20, 25] == 1 and owner[20, 35] == 2
    assert owner[20, 10] == 1 and owner[20, 50] == 2  # left of 1, right of 2
    assert distance[20, 10] == pytest.approx(10, rel=0.03)
    assert distance[5, 5] == pytest.approx(np.hypot(10, 15), rel=0.03)


def test_ring_median_reads_each_region_its_own_substrate() -> None:
    labels = _touching_squares()
    grey = np.zeros(labels.shape, np.float32)
    grey[:, :30] = 10.0  # substrate left of the join
    grey[:, 30:] = 50.0  # and right of it
    rings = ring_median(grey, labels, 3, gap=1.0, width=4.0)
    assert np.isnan(rings[0])
    assert rings[1] == pytest.approx(10.0) and rings[2] == pytest.approx(50.0)
