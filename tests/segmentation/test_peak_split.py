"""Overlapping smooth particles merged into one label are split at their brightness domes."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from nanokit.segmentation.peak_split import split_at_peaks


def _domes(centres: list[tuple[int, int]], radius: int, bright: bool) -> tuple[np.ndarray, ...]:
    """Grey image of discs on a flat substrate, and one label over all of them: bright discs
    shaded as domes (SEM-like, the front one's dome over the other's), or flat dark ones."""
    yy, xx = np.mgrid[:120, :200]
    grey = np.full(xx.shape, 60.0)
    mask = np.zeros(xx.shape, bool)
    for cx, cy in centres:
        rho = np.hypot(xx - cx, yy - cy) / radius
        disc = rho <= 1
        dome = 100 * np.sqrt(np.clip(1 - rho**2, 0, 1)) + 80 if bright else 20.0
        grey = np.where(disc, np.maximum(grey, dome) if bright else dome, grey)
        mask |= disc
    rng = np.random.default_rng(0)
    noisy = cv2.GaussianBlur(grey.astype(np.float32), (0, 0), 1.0) + rng.normal(0, 4, grey.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8), mask.astype(np.int32)


def test_two_overlapping_domes_part() -> None:
    image, labels = _domes([(80, 60), (118, 60)], radius=25, bright=True)
    split = split_at_peaks(image, labels)
    assert split.max() == 2
    left, right = split[60, 70], split[60, 130]
    assert left and right and left != right
    assert np.array_equal(split > 0, labels > 0)


@pytest.mark.parametrize("bright", [True, False])
def test_one_smooth_particle_stays_whole(bright: bool) -> None:
    image, labels = _domes([(100, 60)], radius=30, bright=bright)
    assert split_at_peaks(image, labels).max() == 1


def test_no_particles_no_change() -> None:
    image = np.full((64, 64), 90, np.uint8)
    labels = np.zeros((64, 64), np.int32)
    assert split_at_peaks(image, labels) is labels


def test_the_instance_segmenter_splits_at_peaks_when_asked() -> None:
    from nanokit.segmentation.instance_segmenter import InstanceSegmenter

    image, labels = _domes([(80, 60), (118, 60)], radius=25, bright=True)
    plain = dict(inference="torch", necks=None, refine=False, specks=False)
    assert InstanceSegmenter(**plain)._finish(image, labels).max() == 1
    assert InstanceSegmenter(split_peaks=True, **plain)._finish(image, labels).max() == 2
