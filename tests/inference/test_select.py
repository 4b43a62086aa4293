"""Backend selection for a trained network: auto -> cached ONNX fp32 export, else PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nanokit.errors import MissingExtraError, NanokitError
from nanokit.inference import build_backend, onnx_backend, to_model_input
from nanokit.inference import export as export_module
from nanokit.inference.onnx_backend import OnnxBackend
from nanokit.inference.select import _digest, network_backend
from nanokit.inference.torch_backend import TorchBackend
from nanokit.segmentation import NetworkSegmenter
from nanokit.utils.checkpoint import save_weights

from ..numerics import fp32_tolerance


@pytest.fixture
def weights(tiny_segmentor, tiny_model_cfg, tmp_path):
    """(config dict, safetensors path) of the tiny segmentor."""
    return {"model": tiny_model_cfg}, save_weights(tiny_segmentor, tmp_path / "tiny.safetensors")


def test_auto_exports_once_and_matches_torch(weights, tmp_path, monkeypatch, blobs):
    cfg, checkpoint = weights
    cache = tmp_path / "cache"
    backend = network_backend(cfg, checkpoint, "auto", cache_dir=cache)
    assert isinstance(backend, OnnxBackend) and backend.precision == "fp32"
    (cached,) = cache.glob("*.onnx")
    assert cached.name.startswith("tiny-") and not list(cache.glob("*.tmp"))
    torch_backend = network_backend(cfg, checkpoint, "torch")
    assert isinstance(torch_backend, TorchBackend)
    # against the model in fp32: the torch backend autocasts to bf16 on CPUs with native bf16
    # (AVX512-BF16, AMX), 4e-4 away in probability, which is no fault of the export
    fp32 = build_backend("torch", torch_backend.model, bf16=False)
    batch = to_model_input(blobs(80, 120))[None]
    tolerance = fp32_tolerance(torch_backend.model, [batch])
    assert np.abs(backend.predict(batch) - fp32.predict(batch)).max() <= tolerance

    def no_export(*args, **kwargs):
        raise AssertionError("exported again")

    monkeypatch.setattr(export_module, "export_onnx", no_export)
    assert network_backend(cfg, checkpoint, cache_dir=cache).path == cached


def test_cache_key_follows_weights_and_model(weights, tiny_segmentor, tmp_path):
    cfg, checkpoint = weights
    key = _digest(cfg["model"], checkpoint)
    assert _digest(dict(cfg["model"]), checkpoint) == key
    assert _digest({**cfg["model"], "num_classes": 3}, checkpoint) != key
    state = {k: v.clone() for k, v in tiny_segmentor.state_dict().items()}
    with torch.no_grad():
        next(tiny_segmentor.parameters()).add_(1.0)
    try:
        changed = save_weights(tiny_segmentor, tmp_path / "changed.safetensors")
    finally:
        tiny_segmentor.load_state_dict(state)  # the fixture is shared by the session
    assert _digest(cfg["model"], changed) != key


def test_auto_falls_back_to_torch_without_onnxruntime(weights, tmp_path, monkeypatch):
    cfg, checkpoint = weights

    def missing():
        raise MissingExtraError("onnxruntime", extra="onnx")

    monkeypatch.setattr(onnx_backend, "import_onnxruntime", missing)
    backend = network_backend(cfg, checkpoint, "auto", cache_dir=tmp_path)
    assert isinstance(backend, TorchBackend)
    assert any("onnxruntime is not installed" in note for note in backend.notes)
    with pytest.raises(MissingExtraError):
        network_backend(cfg, checkpoint, "onnx", cache_dir=tmp_path)


def test_auto_falls_back_when_export_differs(weights, tmp_path, monkeypatch):
    cfg, checkpoint = weights

    def bad_check(model, path, exporter="torchscript"):
        raise NanokitError("the torchscript export differs from PyTorch")

    monkeypatch.setattr(export_module, "check_export_fp32", bad_check)
    with pytest.warns(UserWarning, match="export differs"):
        backend = network_backend(cfg, checkpoint, "auto", cache_dir=tmp_path)
    assert isinstance(backend, TorchBackend)
    assert not list(tmp_path.glob("*.onnx*"))  # nothing kept, no temporary file left


def test_onnx_file_and_bad_choices(weights, tiny_onnx, tmp_path):
    cfg, checkpoint = weights
    assert isinstance(network_backend(cfg, tiny_onnx, "auto"), OnnxBackend)
    with pytest.raises(NanokitError, match="is an ONNX file"):
        network_backend(cfg, tiny_onnx, "torch")
    with pytest.raises(NanokitError, match="measure.inference must be one of"):
        network_backend(cfg, checkpoint, "tensorrt")
    with pytest.raises(NanokitError, match="checkpoint not found"):
        network_backend(cfg, tmp_path / "missing.safetensors", "onnx", cache_dir=tmp_path)


def test_network_segmenter_reads_measure_inference(weights, tmp_path, monkeypatch):
    cfg, checkpoint = weights
    monkeypatch.setenv("HOME", str(tmp_path))  # the default cache folder lives in HOME
    segmenter = NetworkSegmenter.from_config({**cfg, "crop_size": (96, 96)}, checkpoint)
    assert isinstance(segmenter.backend, OnnxBackend) and segmenter.tile == 96
    assert list((tmp_path / ".cache" / "nanokit" / "onnx").glob("tiny-*.onnx"))
    forced = NetworkSegmenter.from_config({**cfg, "measure": {"inference": "torch"}}, checkpoint)
    assert isinstance(forced.backend, TorchBackend)
