"""The U-Net that ships with nanokit: its recipe, its weights and what it segments."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nanokit.apis.model import build_model
from nanokit.config import load_config
from nanokit.segmentation.synth_unet_segmenter import MODEL, WEIGHTS, SynthUNetSegmenter
from nanokit.sizing.frame import valid_rows
from nanokit.sizing.sizers import WatershedSizer
from nanokit.synth.generator import make_sample, sample_seed

RECIPE = Path(__file__).resolve().parents[2] / "configs" / "measure" / "unet_tiny_synth.py"


def _plain(obj: object) -> object:
    return json.loads(json.dumps(obj))  # tuples -> lists


def test_the_recipe_trains_the_shipped_model() -> None:
    model = load_config(RECIPE).model.to_dict()
    model.pop("loss")
    assert _plain(model) == _plain(MODEL)


def test_the_recipe_measures_like_the_benchmark() -> None:
    from nanokit.apis.measure import make_settings
    from nanokit.measure.pipeline import DEFAULT_SIZER

    settings = make_settings(RECIPE)
    assert settings.segmenter == {"type": "SynthUNetSegmenter"}
    assert settings.sizer == DEFAULT_SIZER and settings.checkpoint is None


def test_the_shipped_weights_fit_the_model() -> None:
    model = build_model(dict(model=MODEL), WEIGHTS)  # strict: a mismatch raises
    assert sum(p.numel() for p in model.parameters()) < 1_000_000


@pytest.mark.parametrize("index", [19, 6])
def test_it_sizes_a_synthetic_scene(index: int) -> None:
    image, truth_mask, truth = make_sample(sample_seed(2026, index))
    assert not truth["scene"]["low_contrast"]
    databar = truth["databar"]
    bar = (databar["y0"], databar["y1"]) if databar else None
    mask = SynthUNetSegmenter(inference="torch").predict_mask(
        image, valid_rows(image.shape[0], bar)
    )
    iou = (mask & (truth_mask > 0)).sum() / (mask | (truth_mask > 0)).sum()
    assert iou > 0.8
    particles = WatershedSizer()(mask, bar).particles
    measured = np.mean([p["ecd_px"] for p in particles if not p["touches_border"]])
    true = np.mean([p["ecd_px"] for p in truth["particles"] if not p["touches_border"]])
    assert abs(measured / true - 1) < 0.05


def test_specks_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    import cv2

    from nanokit.segmentation import NetworkSegmenter

    raw = np.zeros((200, 300), dtype=np.uint8)
    for x in (50, 150, 250):
        cv2.circle(raw, (x, 100), 15, 1, -1)  # particles, 31 px wide
    raw[20:23, 20:23] = 1  # a 3 px speck: under a disc of 0.3 x 31 px
    raw[170:180, 140:150] = 1  # 10 px: kept
    monkeypatch.setattr(NetworkSegmenter, "predict_mask", lambda self, *a, **k: raw > 0)
    mask = SynthUNetSegmenter(inference="torch").predict_mask(np.zeros((200, 300), np.uint8))
    assert not mask[20:23, 20:23].any()
    assert mask[170:180, 140:150].all() and mask.sum() == (raw > 0).sum() - 9
