"""TorchBackend, OnnxBackend and build_backend."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nanokit.errors import NanokitError
from nanokit.inference import build_backend, to_model_input
from nanokit.inference.base import check_batch

from ..numerics import bf16_tolerance, fp32_tolerance


def test_torch_backend_equals_plain_forward(strided_net, blobs):
    batch = np.stack([to_model_input(blobs(70, 90, seed)) for seed in range(2)])
    with torch.no_grad():
        expected = strided_net(torch.from_numpy(batch)).numpy()
    backend = build_backend("torch", strided_net, channels_last=True, bf16=False)
    got = backend.predict(batch)
    assert got.shape == (2, 2, 70, 90)
    assert got.dtype == np.float32
    # channels-last kernels sum each convolution in another order than NCHW ones
    assert np.abs(got - expected).max() <= fp32_tolerance(strided_net, [batch])


def test_bf16_auto_follows_cpu_flags(local_net, monkeypatch):
    from nanokit.inference import torch_backend

    monkeypatch.setattr(torch_backend, "has_native_bf16", lambda: False)
    backend = build_backend("torch", local_net, bf16="auto")
    assert not backend.bf16
    assert any("bf16 off" in note for note in backend.notes)
    monkeypatch.setattr(torch_backend, "has_native_bf16", lambda: True)
    assert build_backend("torch", local_net, bf16="auto").bf16


def test_forced_bf16_runs_close_to_fp32(local_net, monkeypatch, blobs):
    from nanokit.inference import torch_backend

    monkeypatch.setattr(torch_backend, "has_native_bf16", lambda: True)
    batch = to_model_input(blobs(64, 64))[None]
    fp32 = build_backend("torch", local_net, bf16=False).predict(batch)
    bf16 = build_backend("torch", local_net, bf16=True).predict(batch)
    assert bf16.dtype == np.float32
    assert np.abs(bf16 - fp32).max() <= bf16_tolerance(local_net, [batch])


@pytest.mark.parametrize(
    "batch",
    [np.zeros((3, 8, 8), np.float32), np.zeros((1, 1, 8, 8), np.float32), np.zeros((0, 3, 8, 8))],
)
def test_bad_batch_is_one_line_error(batch):
    with pytest.raises(NanokitError, match="batch"):
        check_batch(batch)


def test_build_backend_errors(tmp_path, local_net):
    with pytest.raises(NanokitError, match="unknown inference backend 'tpu'"):
        build_backend("tpu", local_net)
    with pytest.raises(NanokitError, match="needs a model"):
        build_backend("torch", "model.onnx")
    with pytest.raises(NanokitError, match="needs the path"):
        build_backend("onnx", local_net)
    with pytest.raises(NanokitError, match="ONNX model not found"):
        build_backend("onnx", tmp_path / "missing.onnx")
    garbage = tmp_path / "garbage.onnx"
    garbage.write_bytes(b"not a model")
    with pytest.raises(NanokitError, match="cannot load ONNX model"):
        build_backend("onnx", garbage)


def test_onnx_spinning_is_off_by_default_and_optional(tiny_onnx, blobs):
    batch = to_model_input(blobs(64, 80))[None]
    quiet = build_backend("onnx", tiny_onnx)
    spinning = build_backend("onnx", tiny_onnx, spinning=True)
    config = quiet.session.get_session_options().get_session_config_entry
    assert config("session.intra_op.allow_spinning") == "0"
    assert np.array_equal(quiet.predict(batch), spinning.predict(batch))


def test_a_worker_share_of_the_cores_sets_the_threads_of_new_backends(
    tiny_onnx, local_net, monkeypatch
):
    import torch

    from nanokit.inference import threads

    monkeypatch.setattr(threads, "_share", None)
    monkeypatch.setattr(threads, "available_cores", lambda: 8)
    assert threads.inference_threads() is None
    default = build_backend("onnx", tiny_onnx).session.get_session_options()
    assert default.intra_op_num_threads == 0  # ONNX Runtime's own choice
    threads.share_cores(3)
    assert threads.inference_threads() == 2
    shared = build_backend("onnx", tiny_onnx).session.get_session_options()
    assert shared.intra_op_num_threads == 2
    assert (
        build_backend("onnx", tiny_onnx, threads=3)
        .session.get_session_options()
        .intra_op_num_threads
        == 3
    )
    before = torch.get_num_threads()
    try:
        build_backend("torch", local_net)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
    threads.share_cores(20)
    assert threads.inference_threads() == 1
