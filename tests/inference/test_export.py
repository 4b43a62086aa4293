"""ONNX export (dynamic H/W), static int8 quantisation and the check against torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nanokit.errors import NanokitError
from nanokit.inference import build_backend, segment_image, to_model_input
from nanokit.inference.export import (
    check_onnx,
    export_onnx,
    load_calibration_images,
    quantize_int8,
    shape_nodes,
)

from ..numerics import fp32_tolerance


@pytest.mark.parametrize(("height", "width"), [(64, 96), (101, 77)])
def test_fp32_export_matches_torch_at_two_sizes(tiny_segmentor, tiny_onnx, blobs, height, width):
    assert not tiny_segmentor.training  # the export left the model in eval mode
    batch = np.stack([to_model_input(blobs(height, width, seed)) for seed in range(2)])
    with torch.inference_mode():
        expected = tiny_segmentor(torch.from_numpy(batch)).numpy()
    backend = build_backend("onnx", tiny_onnx)
    assert backend.precision == "fp32"
    got = backend.predict(batch)
    assert got.shape == (2, 2, height, width)
    assert np.abs(got - expected).max() <= fp32_tolerance(tiny_segmentor, [batch])


def test_int8_export_agrees_on_mask(tiny_segmentor, tiny_onnx, blobs, tmp_path):
    calib = [to_model_input(blobs(96, 128, seed)) for seed in range(4)]
    int8 = quantize_int8(tiny_onnx, tmp_path / "tiny_int8.onnx", calib)
    backend = build_backend("onnx", int8)
    assert backend.precision == "int8"
    check = check_onnx(tiny_segmentor, int8, [to_model_input(blobs(120, 90, seed=9))])
    assert check.mask_agreement > 0.95
    assert 0 < check.max_logit_diff < 1.0
    labels = segment_image(backend, blobs(150, 170), tile=96, overlap=32)
    assert labels.shape == (150, 170)


def test_check_onnx_reports_exact_fp32(tiny_segmentor, tiny_onnx, blobs):
    images = [to_model_input(blobs(70, 80))]
    check = check_onnx(tiny_segmentor, tiny_onnx, images)
    assert check.mask_agreement == 1.0
    assert check.max_logit_diff <= fp32_tolerance(tiny_segmentor, images)
    assert check.n_images == 1


def test_calibration_images_are_read_and_cropped(tmp_path, blobs):
    import cv2

    cv2.imwrite(str(tmp_path / "a.png"), blobs(600, 700))
    cv2.imwrite(str(tmp_path / "b.png"), np.dstack([blobs(100, 120)] * 3))
    (tmp_path / "notes.txt").write_text("not an image")
    images = load_calibration_images(tmp_path, n=8, crop=512)
    assert [image.shape for image in images] == [(3, 512, 512), (3, 100, 120)]
    assert all(image.dtype == np.float32 and image.max() <= 1.0 for image in images)


def test_calibration_errors(tmp_path):
    with pytest.raises(NanokitError, match="calibration folder not found"):
        load_calibration_images(tmp_path / "missing")
    with pytest.raises(NanokitError, match="no images"):
        load_calibration_images(tmp_path)
    (tmp_path / "broken.png").write_bytes(b"nope")
    with pytest.raises(NanokitError, match="cannot read image"):
        load_calibration_images(tmp_path)


class _SizeBranch(torch.nn.Module):
    """Flips its logits for wide inputs: a Python branch that tracing freezes."""

    def __init__(self, inner: torch.nn.Module) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        logits = self.inner(x)
        return -logits if x.shape[-1] > 300 else logits


def test_check_catches_frozen_branch(local_net, blobs, tmp_path):
    model = _SizeBranch(local_net).eval()
    onnx_path = export_onnx(model, tmp_path / "branch.onnx", sample_hw=(64, 96))
    same = [to_model_input(blobs(64, 96))]
    assert check_onnx(model, onnx_path, same).max_logit_diff <= fp32_tolerance(model, same)
    assert check_onnx(model, onnx_path, [to_model_input(blobs(64, 320))]).max_logit_diff > 1e-2


def test_unknown_exporter(local_net, tmp_path):
    with pytest.raises(NanokitError, match="unknown exporter"):
        export_onnx(local_net, tmp_path / "m.onnx", exporter="tflite")


@pytest.mark.slow
def test_dynamo_export_matches_torch(tiny_segmentor, blobs, tmp_path):
    onnx_path = export_onnx(tiny_segmentor, tmp_path / "dynamo.onnx", exporter="dynamo")
    images = [to_model_input(blobs(64, 96)), to_model_input(blobs(101, 77, seed=1))]
    tolerance = fp32_tolerance(tiny_segmentor, images)
    assert check_onnx(tiny_segmentor, onnx_path, images).max_logit_diff <= tolerance


def test_int8_keeps_float_shape_arithmetic(same_pad_net, blobs, tmp_path):
    import onnx

    fp32 = export_onnx(same_pad_net, tmp_path / "same.onnx", sample_hw=(64, 96))
    assert {"Ceil", "Div"} <= {
        node.op_type for node in onnx.load(str(fp32)).graph.node if node.name in shape_nodes(fp32)
    }
    calib = [to_model_input(blobs(64, 96, seed)) for seed in range(2)]
    int8 = quantize_int8(fp32, tmp_path / "same_int8.onnx", calib)
    graph = onnx.load(str(int8)).graph
    excluded = set(shape_nodes(int8))
    assert not [n.name for n in graph.node if n.name in excluded and "Quantize" in n.op_type]
    images = [to_model_input(blobs(h, w)) for h, w in [(64, 96), (128, 160), (67, 99)]]
    check = check_onnx(same_pad_net, int8, images)  # raises if an output size is off
    assert check.mask_agreement > 0.9
