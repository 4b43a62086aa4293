"""The pixel-noise estimate: robust spread of neighbour differences, counted for integer images."""

from __future__ import annotations

import numpy as np
import pytest

from nanokit.segmentation.substrate import pixel_noise


def _sorted_estimate(grey: np.ndarray, axes: tuple[int, ...]) -> float:
    """The same estimate with np.median over float differences."""
    values = grey.astype(np.float64)
    diffs = np.concatenate([np.diff(values, axis=axis).ravel() for axis in axes])
    return float(1.4826 * np.median(np.abs(diffs - np.median(diffs))) / np.sqrt(2))


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (5, 6), (64, 65), (301, 302)])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16])
@pytest.mark.parametrize("axes", [(0, 1), (1,), (0,)])
def test_counted_medians_equal_sorted_ones(shape, dtype, axes) -> None:
    rng = np.random.default_rng(sum(shape))
    info = np.iinfo(dtype)
    grey = rng.integers(max(info.min, -3000), min(info.max, 3000), shape).astype(dtype)
    assert pixel_noise(grey, axes) == pytest.approx(_sorted_estimate(grey, axes), rel=1e-9)


def test_gaussian_noise_is_recovered_and_float_images_agree() -> None:
    rng = np.random.default_rng(0)
    noisy = rng.normal(0.0, 5.0, (400, 500))
    grey = np.clip(np.rint(noisy + 128), 0, 255).astype(np.uint8)
    assert pixel_noise(grey) == pytest.approx(5.0, rel=0.05)
    assert pixel_noise(grey.astype(np.float32)) == pytest.approx(pixel_noise(grey), rel=1e-6)
    assert pixel_noise(np.full((8, 8), 9, np.uint8)) == 0.0
