"""The int8 text detector: made once from rapidocr's, finds the text the fp32 one finds."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from nanokit.inference.cpu import has_int8_dot
from nanokit.ocr import text_detector
from nanokit.ocr.text_boxes import TextFinder
from nanokit.ocr.text_detector import detector_input, int8_detector, pyramid_and_head

from ..benchmark_scripts import load_benchmark

pytest.importorskip("rapidocr")
onnx = pytest.importorskip("onnx")

#: Two calibration samples instead of 16: the same recipe, made in seconds.
FEW_SEEDS = (1000, 1001)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh export cache with a quick calibration."""
    monkeypatch.setattr(text_detector, "CALIBRATION_SEEDS", FEW_SEEDS)
    monkeypatch.setattr("nanokit.inference.select.default_cache_dir", lambda: tmp_path)
    return tmp_path


def _figure() -> np.ndarray:
    """A grey micrograph-like panel with a panel letter and a label printed on it."""
    rng = np.random.default_rng(3)
    image = rng.normal(110, 6, (480, 640)).clip(0, 255).astype(np.uint8)
    for x, y in rng.uniform(120, 460, (25, 2)):
        cv2.circle(image, (int(x), int(y)), 14, 190, -1)
    cv2.putText(image, "(b)", (12, 52), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 255, 4, cv2.LINE_AA)
    cv2.putText(image, "TiO2 10 kV", (380, 455), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 255, 2)
    return image


def test_pyramid_and_head_are_the_convolutions_after_an_upsampling() -> None:
    from onnx import helper

    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["a"], name="backbone"),
        helper.make_node("Resize", ["a", "", "scales"], ["b"], name="up"),
        helper.make_node("Conv", ["b", "w2"], ["c"], name="head"),
        helper.make_node("Conv", ["a", "w3"], ["d"], name="lateral"),
        helper.make_node("Add", ["c", "d"], ["e"], name="add"),
        helper.make_node("Conv", ["e", "w4"], ["y"], name="out"),
    ]
    graph = helper.make_graph(nodes, "g", [], [])
    assert pyramid_and_head(helper.make_model(graph)) == ["head", "out"]


def test_detector_input_is_the_image_in_minus_one_to_one_on_three_channels() -> None:
    grey = np.zeros((500, 700), np.uint8)
    grey[:, 350:] = 255
    x = detector_input(grey)
    assert x.dtype == np.float32 and x.shape[0] == 3
    assert x.shape[1] % 32 == 0 and x.shape[2] % 32 == 0
    assert x.min() == -1.0 and x.max() == 1.0


def test_int8_detector_is_made_once(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = int8_detector()
    assert first.parent == cache and first.is_file()

    def again(*args: object) -> None:
        raise AssertionError("quantised a second time")

    monkeypatch.setattr(text_detector, "_quantize", again)
    assert int8_detector() == first


@pytest.mark.skipif(not has_int8_dot(), reason="int8 text detection runs only on VNNI CPUs")
def test_int8_detector_finds_the_text_fp32_finds(cache: Path) -> None:
    image = _figure()
    iou = load_benchmark("text_detector")._iou  # the box overlap the benchmark compares with
    fp32 = TextFinder(int8=False).boxes(image)
    int8 = TextFinder(int8=True).boxes(image)
    assert fp32, "the fp32 detector found no text on the test figure"
    assert len(int8) == len(fp32)
    for box in fp32:
        assert max(iou(box, other) for other in int8) > 0.7


def test_finder_falls_back_to_fp32_when_int8_cannot_be_made(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> Path:
        raise OSError("read-only cache\nsecond line")

    monkeypatch.setattr(text_detector, "int8_detector", broken)
    finder = TextFinder(int8=True)
    with pytest.warns(UserWarning, match=r"text detector in fp32: .*\(OSError: read-only cache\)$"):
        boxes = finder.boxes(_figure())
    assert not finder.int8 and finder.error is None
    assert boxes, "the fp32 detector found no text"
