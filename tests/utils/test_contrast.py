"""widen_contrast: faint images stretched to the least grey range, others left as they are."""

from __future__ import annotations

import numpy as np
import pytest

from nanokit.utils.contrast import MIN_RANGE, widen_contrast


def _range(image: np.ndarray, top: float) -> float:
    low, high = np.percentile(image, (0.5, 99.5))
    return float(high - low) / top


def test_an_image_of_ample_contrast_is_returned_itself() -> None:
    image = np.linspace(20, 230, 64 * 64).reshape(64, 64).astype(np.uint8)
    assert widen_contrast(image) is image


def test_a_faint_image_is_stretched_about_its_middle() -> None:
    image = np.linspace(100, 140, 64 * 64).reshape(64, 64).astype(np.uint8)
    wide = widen_contrast(image)
    assert wide.dtype == np.uint8
    assert _range(wide, 255) == pytest.approx(MIN_RANGE, abs=0.01)
    assert np.median(wide) == pytest.approx(np.median(image), abs=1)
    assert np.all(np.diff(wide.ravel().astype(int)) >= 0)  # the order of grey levels is kept


def test_a_faint_dark_image_is_shifted_rather_than_clipped() -> None:
    image = np.linspace(0, 30, 64 * 64).reshape(64, 64).astype(np.uint8)
    wide = widen_contrast(image)
    assert _range(wide, 255) == pytest.approx(MIN_RANGE, abs=0.01)
    # the range starts at black instead of reaching below it
    assert np.percentile(wide, 0.5) == pytest.approx(0, abs=1)


def test_the_full_scale_is_that_of_the_dtype() -> None:
    twelve_bit = np.linspace(0, 4095, 64 * 64).reshape(64, 64).astype(np.uint16)
    assert _range(widen_contrast(twelve_bit), 65535) == pytest.approx(MIN_RANGE, abs=0.01)
    floats = np.linspace(0.2, 0.9, 64 * 64).reshape(64, 64)
    assert widen_contrast(floats) is floats


def test_a_flat_image_stays_flat() -> None:
    image = np.full((32, 32), 77, np.uint8)
    assert np.array_equal(widen_contrast(image), image)


def test_a_binary_image_is_returned_itself() -> None:
    image = np.zeros((32, 32), bool)
    image[5:9, 5:9] = True
    assert widen_contrast(image) is image


def test_where_leaves_an_annotation_out_of_the_range() -> None:
    # a faint image (grey 100-140) with a black and white label box: 3 % of the pixels
    image = np.linspace(100, 140, 100 * 100).reshape(100, 100).astype(np.uint8)
    image[90:100, 0:15] = 0
    image[90:100, 15:30] = 255
    assert widen_contrast(image) is image  # the box spans the full scale
    clear = np.ones(image.shape, bool)
    clear[88:, :32] = False
    wide = widen_contrast(image, where=clear)
    assert _range(wide[clear], 255) == pytest.approx(MIN_RANGE, abs=0.02)
