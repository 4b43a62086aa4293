"""Scale labels: formatting of values and stand-alone label crops."""

from __future__ import annotations

import numpy as np
import pytest

from nanokit.errors import NanokitError
from nanokit.synth import render_label
from nanokit.synth.scale import choose_scale, format_label


@pytest.mark.parametrize(
    ("value_nm", "digits", "micro", "text"),
    [
        (500, "plain", "\u00b5", "500 nm"),
        (2000, "plain", "\u03bc", "2 \u03bcm"),
        (50000, "sig3", "u", "50.0 um"),
        (1000, "sig3", "\u00b5", "1.00 \u00b5m"),
        (500, "sig3", "u", "500 nm"),
        (5000, "one", "\u00b5", "5.0 \u00b5m"),
    ],
)
def test_format_label(value_nm: int, digits: str, micro: str, text: str) -> None:
    label = format_label(value_nm, np.random.default_rng(0), digits=digits, space=True, micro=micro)
    assert label.text == text
    assert label.value * (1000 if label.unit == "um" else 1) == pytest.approx(value_nm)


def test_auto_labels_use_all_micro_signs_and_sometimes_decimals() -> None:
    rng = np.random.default_rng(1)
    texts = [format_label(int(v), rng).text for v in rng.choice([200, 500, 1000, 2000, 5000], 400)]
    assert {"\u00b5", "\u03bc"} <= set("".join(texts))
    assert any("um" in t for t in texts)
    assert any(t.startswith("0.5") or t.startswith("0,5") for t in texts)
    assert any("," in t for t in texts)


def test_choose_scale_is_nice_and_in_range() -> None:
    rng = np.random.default_rng(2)
    for _ in range(200):
        scale = choose_scale(rng)
        assert 60 <= scale.bar_px <= 300
        assert str(scale.value_nm)[0] in "125" and set(str(scale.value_nm)[1:]) <= {"0"}


@pytest.mark.parametrize("polarity", ["white", "black"])
def test_render_label(polarity: str) -> None:
    crop = render_label("2 \u00b5m", 32, polarity)
    assert crop.dtype == np.uint8 and crop.shape[0] == 32 and crop.shape[1] > 40
    background = crop[0, 0]
    assert background == (0 if polarity == "white" else 255)
    assert np.abs(crop.astype(int) - background).max() == 255  # solid ink


def test_render_label_distinguishes_micro_signs() -> None:
    micro, mu, ascii_u = (render_label(f"5 {c}m", 40, "white") for c in "\u00b5\u03bcu")
    assert not np.array_equal(micro, ascii_u)
    assert micro.shape == mu.shape or not np.array_equal(micro, mu)


def test_render_label_rejects_bad_arguments() -> None:
    with pytest.raises(NanokitError):
        render_label("5 nm", 20, "grey")
    with pytest.raises(NanokitError):
        render_label("5 nm", 4, "white")
    with pytest.raises(NanokitError):
        render_label("  ", 20, "white")
