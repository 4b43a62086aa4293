"""Scale bars redrawn for the benchmarks: in colour, and stroked in the other ink."""

from __future__ import annotations

import numpy as np

from nanokit.synth.coloured_marks import recolour_marks
from nanokit.synth.outlined_marks import outline_marks


def _bar_image() -> np.ndarray:
    rng = np.random.default_rng(0)
    grey = np.clip(rng.normal(90, 5, (80, 160)), 0, 255).astype(np.uint8)
    grey[40:46, 30:130] = 255  # a white bar
    return grey


def test_recoloured_bar_keeps_its_extent_and_the_ground_stays_grey() -> None:
    rgb = recolour_marks(_bar_image(), (20, 30, 140, 56), "white", (255, 0, 0))
    red = (rgb[..., 0] > 200) & (rgb[..., 1] < 60)
    ys, xs = np.nonzero(red)
    assert (ys.min(), ys.max(), xs.min(), xs.max()) == (40, 45, 30, 129)
    ground = rgb[:30]
    assert np.array_equal(ground[..., 0], ground[..., 1])


def test_stroke_surrounds_the_bar_outside_it() -> None:
    grey = _bar_image()
    stroked = outline_marks(grey, (20, 30, 140, 56), "white", 2)
    np.testing.assert_array_equal(stroked[40:46, 30:130], 255)  # the bar itself is kept
    assert stroked[37, 80] == 0 and stroked[48, 80] == 0  # 2 px stroke beyond a 1 px edge
    assert stroked[42, 27] == 0 and stroked[42, 132] == 0
    assert stroked[35, 80] == grey[35, 80]  # the ground beyond the stroke is untouched
