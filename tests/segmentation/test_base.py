"""The measurement segmenters' interface and registry: one ``predict_mask``, one ``SEGMENTERS``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nanokit.errors import NanokitError
from nanokit.registry import SEGMENTERS, SEGMENTORS
from nanokit.segmentation import (
    BaseSegmenter,
    ClassicalSegmenter,
    InstanceSegmenter,
    NetworkSegmenter,
    SynthUNetSegmenter,
)
from nanokit.segmentation.base import segmenter_type

BUILT_IN = {
    "ClassicalSegmenter": ClassicalSegmenter,
    "InstanceSegmenter": InstanceSegmenter,
    "NetworkSegmenter": NetworkSegmenter,
    "SynthUNetSegmenter": SynthUNetSegmenter,
}


def test_every_built_in_segmenter_is_registered_and_derives_from_the_base() -> None:
    SEGMENTERS.import_from_location()
    for name, cls in BUILT_IN.items():
        assert SEGMENTERS.get(name) is cls
        assert issubclass(cls, BaseSegmenter)
        assert name not in SEGMENTORS.module_dict  # whole networks only there


def test_the_base_is_abstract_and_has_no_confidence_by_default() -> None:
    with pytest.raises(TypeError):
        BaseSegmenter()  # type: ignore[abstract]
    assert ClassicalSegmenter().confidence is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ClassicalSegmenter", "ClassicalSegmenter"),
        ("classical", "ClassicalSegmenter"),
        ("Classical", "ClassicalSegmenter"),
        ("synth-unet", "SynthUNetSegmenter"),
        ("instance", "InstanceSegmenter"),
        ("network_segmenter", "NetworkSegmenter"),
    ],
)
def test_segmenter_names_and_short_aliases(name: str, expected: str) -> None:
    assert segmenter_type(name) == expected


def test_an_unknown_segmenter_is_one_line_listing_the_registered_ones() -> None:
    with pytest.raises(NanokitError) as err:
        segmenter_type("watershed")
    message = str(err.value)
    assert "\n" not in message and "'watershed'" in message
    assert all(name in message for name in BUILT_IN)


def test_network_segmenter_needs_config_and_checkpoint(tmp_path) -> None:
    with pytest.raises(NanokitError, match="needs config= .* and checkpoint="):
        NetworkSegmenter()
    with pytest.raises(NanokitError, match="checkpoint not found"):
        NetworkSegmenter(config={"model": {}}, checkpoint=tmp_path / "missing.safetensors")
    weights = tmp_path / "w.safetensors"
    weights.write_bytes(b"")
    with pytest.raises(NanokitError, match="has no model"):
        NetworkSegmenter(config={"crop_size": 64}, checkpoint=weights)


def test_network_segmenter_from_a_config_dict(tiny_network: tuple[dict, Path]) -> None:
    model, weights = tiny_network
    cfg = dict(model=model, crop_size=(64, 64))
    segmenter = SEGMENTERS.build(
        dict(type="NetworkSegmenter", config=cfg, checkpoint=str(weights), inference="torch")
    )
    assert isinstance(segmenter, NetworkSegmenter) and segmenter.tile == 64
    mask = segmenter.predict_mask(np.zeros((80, 100), np.uint8), rows=(0, 60))
    assert mask.shape == (80, 100) and mask.dtype == bool and not mask[60:].any()
