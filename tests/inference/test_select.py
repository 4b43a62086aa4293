"""Backend selection for a trained network: auto picks per CPU (mocked flags), checks, caches."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nanokit.errors import MissingExtraError, NanokitError
from nanokit.inference import build_backend, onnx_backend, select, to_model_input
from nanokit.inference import cpu as cpu_module
from nanokit.inference import export as export_module
from nanokit.inference.base import InferenceBackend
from nanokit.inference.onnx_backend import OnnxBackend
from nanokit.inference.select import (
    _digest,
    auto_candidates,
    choose_auto,
    compare_to_fp32,
    int8_cache_path,
    network_backend,
    register_int8,
)
from nanokit.inference.torch_backend import TorchBackend
from nanokit.segmentation import NetworkSegmenter
from nanokit.utils.checkpoint import save_weights

from ..numerics import fp32_tolerance

#: CPU flags of the three kinds of machine the project runs on.
AVX2_CPU = frozenset({"avx2", "fma"})
VNNI_CPU = AVX2_CPU | {"avx512f", "avx512_vnni"}
ZEN4_CPU = VNNI_CPU | {"avx512_bf16"}
AMX_CPU = ZEN4_CPU | {"amx_tile", "amx_bf16", "amx_int8"}


@pytest.fixture
def cpu(monkeypatch):
    """``cpu(flags)``: ``auto`` and the torch backend see a CPU with these flags."""

    def use(flags: frozenset[str]) -> None:
        for module in (cpu_module, select):
            monkeypatch.setattr(module, "cpu_flags", lambda: flags)

    return use


@pytest.fixture
def plain_cpu(cpu):
    """``auto`` sees an AVX2-only CPU: ONNX Runtime fp32, no check."""
    cpu(AVX2_CPU)


@pytest.fixture
def weights(tiny_segmentor, tiny_model_cfg, tmp_path):
    """(config dict, safetensors path) of the tiny segmentor."""
    return {"model": tiny_model_cfg}, save_weights(tiny_segmentor, tmp_path / "tiny.safetensors")


def test_auto_exports_once_and_matches_torch(plain_cpu, weights, tmp_path, monkeypatch, blobs):
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


def test_cache_key_follows_the_model_code(weights, monkeypatch):
    """An export made before nanokit's model code changed (a fixed block, say) is not reused."""
    cfg, checkpoint = weights
    key = _digest(cfg["model"], checkpoint)
    assert len(select.model_code_digest()) == 64
    monkeypatch.setattr(select, "model_code_digest", lambda: "changed code")
    assert _digest(cfg["model"], checkpoint) != key


def test_auto_falls_back_to_torch_without_onnxruntime(plain_cpu, weights, tmp_path, monkeypatch):
    cfg, checkpoint = weights

    def missing():
        raise MissingExtraError("onnxruntime", extra="onnx")

    monkeypatch.setattr(onnx_backend, "import_onnxruntime", missing)
    backend = network_backend(cfg, checkpoint, "auto", cache_dir=tmp_path)
    assert isinstance(backend, TorchBackend)
    assert any("onnxruntime is not installed" in note for note in backend.notes)
    with pytest.raises(MissingExtraError):
        network_backend(cfg, checkpoint, "onnx", cache_dir=tmp_path)


def test_auto_falls_back_when_export_differs(plain_cpu, weights, tmp_path, monkeypatch):
    cfg, checkpoint = weights

    def bad_check(model, path, exporter="torchscript"):
        raise NanokitError("the torchscript export differs from PyTorch")

    monkeypatch.setattr(export_module, "check_export_fp32", bad_check)
    with pytest.warns(UserWarning, match="export differs"):
        backend = network_backend(cfg, checkpoint, "auto", cache_dir=tmp_path)
    assert isinstance(backend, TorchBackend)
    assert not list(tmp_path.glob("*.onnx*"))  # nothing kept, no temporary file left


def test_auto_refuses_weights_pytorch_cannot_run_either(plain_cpu, weights, tmp_path):
    cfg, _ = weights
    other = {"model": {**cfg["model"], "num_classes": 5}}  # the weights do not fit this head
    with pytest.raises(NanokitError, match="does not fit the model"):
        network_backend(other, weights[1], "auto", cache_dir=tmp_path)
    assert not list(tmp_path.glob("*-auto-*.json"))  # no decision kept for a model that cannot run


def test_onnx_file_and_bad_choices(weights, tiny_onnx, tmp_path):
    cfg, checkpoint = weights
    assert isinstance(network_backend(cfg, tiny_onnx, "auto"), OnnxBackend)
    with pytest.raises(NanokitError, match="is an ONNX file"):
        network_backend(cfg, tiny_onnx, "torch")
    with pytest.raises(NanokitError, match="measure.inference must be one of"):
        network_backend(cfg, checkpoint, "tensorrt")
    with pytest.raises(NanokitError, match="checkpoint not found"):
        network_backend(cfg, tmp_path / "missing.safetensors", "onnx", cache_dir=tmp_path)


def test_network_segmenter_reads_measure_inference(plain_cpu, weights, tmp_path, monkeypatch):
    cfg, checkpoint = weights
    monkeypatch.setenv("HOME", str(tmp_path))  # the default cache folder lives in HOME ...
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)  # ... unless this moves it
    segmenter = NetworkSegmenter.from_config({**cfg, "crop_size": (96, 96)}, checkpoint)
    assert isinstance(segmenter.backend, OnnxBackend) and segmenter.tile == 96
    assert list((tmp_path / ".cache" / "nanokit" / "onnx").glob("tiny-*.onnx"))
    forced = NetworkSegmenter.from_config({**cfg, "measure": {"inference": "torch"}}, checkpoint)
    assert isinstance(forced.backend, TorchBackend)


@pytest.mark.parametrize(
    ("flags", "int8_model", "expected"),
    [
        (AVX2_CPU, True, ["onnx-fp32"]),
        (VNNI_CPU, False, ["onnx-fp32"]),  # int8 only where an int8 model passed its check
        (VNNI_CPU, True, ["onnx-int8", "onnx-fp32"]),
        (AVX2_CPU | {"avx512_bf16"}, False, ["onnx-fp32"]),  # bf16 without AMX: no faster
        (ZEN4_CPU, True, ["onnx-int8", "onnx-fp32"]),
        (AMX_CPU, True, ["torch-bf16", "onnx-int8", "onnx-fp32"]),
        (frozenset(), False, ["onnx-fp32"]),  # /proc/cpuinfo unreadable
    ],
)
def test_auto_candidates_follow_cpu_flags(flags, int8_model, expected):
    assert auto_candidates(flags, int8_model) == expected


def _timed(monkeypatch, seconds: dict[str, float]) -> None:
    """``auto`` times the backends at ``seconds`` per pass: keys ``torch-bf16``, ``onnx``."""

    def per_pass(backend, image, repeats=5):
        return seconds["torch-bf16" if isinstance(backend, TorchBackend) else "onnx"]

    monkeypatch.setattr(select, "seconds_per_pass", per_pass)


def test_bf16_cpu_gets_checked_bf16_and_keeps_the_decision(cpu, weights, tmp_path, monkeypatch):
    cfg, checkpoint = weights
    cpu(AMX_CPU)
    checked = []

    def holds(reference, candidate, image):
        checked.append((reference.bf16, candidate.bf16, image.shape))
        return 0.998, -0.004

    monkeypatch.setattr(select, "compare_to_fp32", holds)
    _timed(monkeypatch, {"torch-bf16": 1.0, "onnx": 1.8})
    choice = choose_auto(cfg, checkpoint, tmp_path)
    assert choice.backend == "torch-bf16" and choice.notes == []
    assert (choice.mask_agreement, choice.mean_size_change) == (0.998, -0.004)
    assert choice.speedup == pytest.approx(1.8)
    assert "amx_bf16" in choice.cpu and checked == [(False, True, (512, 512))]
    monkeypatch.setattr(select, "compare_to_fp32", None)  # decided: no second check
    backend = network_backend(cfg, checkpoint, "auto", cache_dir=tmp_path)
    assert isinstance(backend, TorchBackend) and backend.bf16 and backend.channels_last
    cpu(AVX2_CPU)  # another CPU decides anew
    assert choose_auto(cfg, checkpoint, tmp_path).backend == "onnx-fp32"


@pytest.mark.parametrize(("agreement", "change"), [(0.95, 0.0), (1.0, 0.02), (1.0, float("inf"))])
def test_bf16_that_changes_masks_or_sizes_falls_back(
    cpu, weights, tmp_path, monkeypatch, agreement, change
):
    cfg, checkpoint = weights
    cpu(AMX_CPU)
    monkeypatch.setattr(select, "compare_to_fp32", lambda *args: (agreement, change))
    choice = choose_auto(cfg, checkpoint, tmp_path)
    assert choice.backend == "onnx-fp32" and choice.mask_agreement is None
    (note,) = choice.notes
    assert note.startswith(
        f"torch-bf16 not used: against fp32 on the calibration image it agrees on {100 * agreement:.2f} %"
    )


def test_bf16_that_does_not_pay_falls_back(cpu, weights, tmp_path, monkeypatch):
    """bf16 that holds against fp32 but runs little faster than ONNX Runtime fp32 (a light
    network on AMX): the exact backend is kept, and the note says how fast bf16 was."""
    cfg, checkpoint = weights
    cpu(AMX_CPU)
    monkeypatch.setattr(select, "compare_to_fp32", lambda *args: (0.999, 0.001))
    _timed(monkeypatch, {"torch-bf16": 1.0, "onnx": 1.1})
    choice = choose_auto(cfg, checkpoint, tmp_path)
    assert choice.backend == "onnx-fp32" and choice.speedup is None
    assert choice.notes == [
        "torch-bf16 not used: on the calibration image it runs 1.10x as fast as onnx-fp32 "
        "(needs 1.5x)"
    ]


def test_other_limits_decide_anew(cpu, weights, tmp_path, monkeypatch):
    cfg, checkpoint = weights
    cpu(AMX_CPU)
    monkeypatch.setattr(select, "compare_to_fp32", lambda *args: (0.999, 0.001))
    _timed(monkeypatch, {"torch-bf16": 1.0, "onnx": 1.8})
    assert choose_auto(cfg, checkpoint, tmp_path).backend == "torch-bf16"
    monkeypatch.setattr(select, "MIN_SPEEDUP", 2.0)
    assert choose_auto(cfg, checkpoint, tmp_path).backend == "onnx-fp32"


def test_seconds_per_pass_times_the_backend(blobs):
    class Counting(_Threshold):
        def _run(self, batch: np.ndarray) -> np.ndarray:
            self.calls += 1
            return super()._run(batch)

    backend = Counting(0.5)
    backend.calls = 0
    seconds = select.seconds_per_pass(backend, blobs(64, 64), repeats=3)
    assert backend.calls == 4 and 0 < seconds < 10  # one untimed pass first


def test_vnni_cpu_uses_a_registered_int8_model(cpu, weights, tiny_onnx, tmp_path, monkeypatch):
    cfg, checkpoint = weights
    cpu(VNNI_CPU)
    monkeypatch.setattr(select, "compare_to_fp32", lambda *args: (0.995, 0.003))
    monkeypatch.setattr(
        select,
        "seconds_per_pass",
        lambda backend, image: 1.0 if "int8" in str(backend.path) else 2.5,
    )
    assert choose_auto(cfg, checkpoint, tmp_path).backend == "onnx-fp32"  # none registered
    registered = register_int8(cfg, checkpoint, tiny_onnx, tmp_path)
    assert registered == int8_cache_path(cfg, checkpoint, tmp_path)
    backend = network_backend(cfg, checkpoint, "auto", cache_dir=tmp_path)
    assert isinstance(backend, OnnxBackend) and backend.path == registered


class _Threshold(InferenceBackend):
    """Particle where the image is brighter than ``level`` (a stand-in network)."""

    def __init__(self, level: float) -> None:
        super().__init__()
        self.level = level

    def _run(self, batch: np.ndarray) -> np.ndarray:
        particle = batch[:, :1] - self.level
        return np.concatenate([-particle, particle], axis=1)


def test_compare_to_fp32_measures_mask_agreement_and_size_change():
    image = np.zeros((100, 100), np.uint8)
    image[20:40, 20:40] = 200  # a 20 px square, brighter at its core
    image[24:36, 24:36] = 250
    same = compare_to_fp32(_Threshold(0.5), _Threshold(0.5), image)
    assert same == (1.0, 0.0)
    agreement, change = compare_to_fp32(_Threshold(0.5), _Threshold(0.9), image)
    assert agreement == pytest.approx(1 - (400 - 144) / 10000)
    assert change == pytest.approx(12 / 20 - 1)  # ECD scales with the side
    assert compare_to_fp32(_Threshold(0.5), _Threshold(1.0), image)[1] == float("inf")


def test_measure_reports_the_choice(cpu, weights, tmp_path, monkeypatch, blobs):
    import cv2

    from nanokit.apis.measure import measure

    cfg, checkpoint = weights
    monkeypatch.setenv("HOME", str(tmp_path))  # the default cache folder lives in HOME ...
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)  # ... unless this moves it
    cpu(AVX2_CPU)
    cv2.imwrite(str(tmp_path / "a.png"), blobs(96, 128))
    config = {**cfg, "crop_size": (96, 96)}
    summary = measure(
        [tmp_path / "a.png"], tmp_path / "out", config, checkpoint, scale=1.0, quiet=True
    )
    inference = summary["settings"]["inference"]
    assert inference["requested"] == "auto" and inference["backend"] == "onnx-fp32"
    assert "avx2" in inference["cpu"] and inference["mask_agreement"] is None
    html = (tmp_path / "out" / "report.html").read_text()
    assert "inference: onnx-fp32 (auto on " in html
    pinned = measure(
        [tmp_path / "a.png"],
        tmp_path / "pinned",
        config,
        checkpoint,
        scale=1.0,
        quiet=True,
        inference="torch",
    )
    assert pinned["settings"]["inference"] == {"requested": "torch"}


def test_describe_cpu_lists_the_speed_flags_in_order():
    from nanokit.inference.cpu import cpu_model, describe_cpu

    line = describe_cpu(frozenset({"sse2", "avx512_vnni", "avx2", "amx_bf16"}))
    assert line.startswith(cpu_model()) and line.endswith("; avx2, amx_bf16, avx512_vnni)")
    assert describe_cpu(frozenset()).endswith("; no AVX2)")
