"""Scale bars and labels drawn in colour on a grey micrograph, as journal figures have them."""

from __future__ import annotations

import pytest

from nanokit.scalebar.reader import read_scalebar
from nanokit.synth.coloured_marks import MARK_COLOURS, recolour_marks

pytestmark = pytest.mark.ocr


def _marks_box(bar: dict) -> tuple[int, int, int, int]:
    """The bar and its label, 3 px around them."""
    (bx0, by0, bx1, by1), (lx0, ly0, lx1, ly1) = bar["bar_bbox"], bar["label_bbox"]
    return min(bx0, lx0) - 3, min(by0, ly0) - 3, max(bx1, lx1) + 4, max(by1, ly1) + 4


@pytest.mark.parametrize(
    ("seed", "colour", "bright"),
    [(1, "blue", False), (4, "red", False), (1, "yellow", True), (3, "cyan", True)],
)
def test_coloured_bar_is_read(ocr_engine, seed: int, colour: str, bright: bool) -> None:
    from nanokit.synth import make_sample

    image, _, truth = make_sample(seed, style="journal_overlay")
    bar = dict(truth["scalebar"])
    if bright:  # a TEM-like bright ground: the bar and label are black before colouring
        image = 255 - image
        bar["polarity"] = "black" if bar["polarity"] == "white" else "white"
    rgb = recolour_marks(image, _marks_box(bar), bar["polarity"], MARK_COLOURS[colour])
    rec = read_scalebar(rgb, ocr_engine)
    assert rec.ok, rec.error
    assert rec.value_nm == pytest.approx(bar["value_nm"])
    assert rec.bar_px == pytest.approx(bar["bar_px"], rel=0.01)
