"""The report's line on what segmented and sized the images."""

from __future__ import annotations

from nanokit.report.html import _pipeline


def test_it_names_the_segmenter_the_backend_and_an_ensemble() -> None:
    settings = {
        "segmenter": {"type": "InstanceSegmenter"},
        "sizer": "WatershedSizer",
        "inference": {
            "requested": "auto",
            "networks": 2,
            "backend": "onnx-fp32",
            "cpu": "a CPU",
            "mask_agreement": None,
            "notes": ["int8 not registered"],
        },
    }
    parts = _pipeline(settings)
    assert parts[:2] == ["segmenter: InstanceSegmenter", "sizer: WatershedSizer"]
    assert "2 networks, their probabilities averaged" in parts
    assert parts[-1] == "inference: onnx-fp32 (auto on a CPU); int8 not registered"
    del settings["inference"]["networks"]
    assert not any("networks" in part for part in _pipeline(settings))
