"""Large images are read reduced by a whole factor; the reading comes back in full-size px."""

from __future__ import annotations

import numpy as np
import pytest

from nanokit.scalebar.reading import ScalebarReading
from nanokit.scalebar.working_scale import WORKING_SIDE, at_full_size, reduced, reduction


@pytest.mark.parametrize(
    ("shape", "factor"),
    [
        ((768, 1024), 1),
        ((1331, WORKING_SIDE), 1),
        ((1000, WORKING_SIDE + 1), 2),
        ((3072, 4096), 3),
        ((4096, 6144), 4),
        ((4096, 4096, 3), 3),
    ],
)
def test_reduction_brings_the_longest_side_within_the_working_side(shape, factor) -> None:
    assert reduction(shape) == factor
    assert max(shape[:2]) / factor <= WORKING_SIDE


def test_reduced_averages_whole_blocks_and_leaves_out_the_rest() -> None:
    grey = np.zeros((7, 10), np.uint8)
    grey[:3, :3] = 90  # one whole block
    grey[3:6, 6:9] = 30
    grey[6, :] = 255  # the last row makes no whole block
    grey[:, 9] = 255  # nor the last column
    small = reduced(grey, 3)
    assert small.shape == (2, 3)
    assert small.tolist() == [[90, 0, 0], [0, 0, 30]]
    assert reduced(grey, 1) is grey


def test_a_reduced_reading_is_brought_back_to_full_size() -> None:
    reading = ScalebarReading(
        ok=True,
        value_nm=500.0,
        bar_px=200.0,
        bar_px_uncertainty=0.5,
        nm_per_px=2.5,
        label_bbox=[10, 20, 29, 27],
        bar_endpoints=[100.0, 40.0, 300.0, 40.0],
        databar_rows=(600, 681),
    )
    full = at_full_size(reading, 3, height=2048)  # 2048 // 3 = 682 rows: the strip reaches the last
    assert full.bar_px == 600.0
    assert full.bar_px_uncertainty == 1.5
    assert full.nm_per_px == pytest.approx(2.5 / 3)
    assert full.nm_per_px * full.bar_px == pytest.approx(full.value_nm)
    # reduced pixel i spans full pixels 3i .. 3i + 2, its centre is 3i + 1
    assert full.label_bbox == [30, 60, 89, 83]
    assert full.bar_endpoints == [301.0, 121.0, 901.0, 121.0]
    assert full.databar_rows == (1800, 2047)
    inside = at_full_size(ScalebarReading(databar_rows=(600, 650)), 3, height=2048)
    assert inside.databar_rows == (1800, 1952)


def test_a_reading_of_an_image_read_at_its_size_is_unchanged() -> None:
    reading = ScalebarReading(ok=True, bar_px=100.0, nm_per_px=1.0)
    assert at_full_size(reading, 1, height=768) is reading


def test_a_failed_reading_keeps_its_error_and_says_its_sizes_are_reduced() -> None:
    error = "bar too short to measure to 1 % (13.0 px)"
    failed = at_full_size(ScalebarReading(error=error), 3, 4000)
    assert not failed.ok
    assert failed.error.startswith(error)
    assert "reduced 3 x" in failed.error
    plain = at_full_size(ScalebarReading(error="no scale bar with a text label found"), 3, 4000)
    assert plain.error == "no scale bar with a text label found"
    assert failed.bar_px is None and failed.nm_per_px is None and failed.label_bbox is None
