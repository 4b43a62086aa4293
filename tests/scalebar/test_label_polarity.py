"""A label of the other polarity than its bar (black text over a white bar on a light ground)
is found: the bar's surroundings are searched for words in both polarities."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from nanokit.scalebar.reader import read_scalebar

pytestmark = pytest.mark.ocr


def test_black_label_over_white_bar(ocr_engine) -> None:
    from nanokit.synth import render_label

    rng = np.random.default_rng(5)
    img = rng.normal(175, 8, (400, 500)).clip(0, 255).astype(np.uint8)
    sprite = render_label("200 nm", 28, polarity="black")  # black text on white
    h, w = sprite.shape
    x, y = 60, 300
    img[y : y + h, x : x + w] = np.minimum(img[y : y + h, x : x + w], sprite)
    img[y + h + 6 : y + h + 14, 50:200] = 255  # the white bar, 150 px, no shadow
    rec = read_scalebar(img, ocr_engine, {"type": "PaperScalebarDetector", "reread_engines": []})
    assert rec.ok, rec.error
    assert rec.value_nm == pytest.approx(200)
    assert rec.bar_px == pytest.approx(150, abs=1.0)


def test_real_black_label_over_white_bar_at_three_quarters(ocr_engine, shared_data) -> None:
    """emps__f7f9125fb0 at 0.75: the drop shadow that links bar and label at full size is
    lost, the label is found in the other polarity."""
    import cv2

    from nanokit.io.images import read_image

    name = "emps__f7f9125fb0.png"
    folder = shared_data / "scalebars"
    with (folder / "truth.csv").open(newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["image"] == name)
    grey = read_image(folder / "images" / name).grey
    size = (round(grey.shape[1] * 0.75), round(grey.shape[0] * 0.75))
    small = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    truth = float(row["value"]) / float(row["bar_px"]) * grey.shape[1] / size[0]
    rec = read_scalebar(small, ocr_engine, name=name)
    assert rec.ok, rec.error
    assert rec.nm_per_px == pytest.approx(truth, rel=0.01)
