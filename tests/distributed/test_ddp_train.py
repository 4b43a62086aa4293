"""``nanokit train CONFIG --launcher pytorch`` under torchrun: 2 CPU processes (gloo)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config

from nanokit.distributed.launcher import init_distributed, prepare_launcher
from nanokit.errors import NanokitError

HERE = Path(__file__).resolve().parent
RUNTIME = HERE.parents[1] / "configs" / "_base_" / "default_runtime.py"
CONFIG = """
_base_ = [{runtime!r}]
custom_imports = dict(imports=["ddp_probe"], allow_failed_imports=False)
data_root = {data!r}
model = dict(
    type="EncoderDecoder",
    num_classes=2,
    backbone=dict(type="UNetEncoder", channels=(8, 16, 32), frozen=True),
    decoder=dict(type="UNetDecoder", channels=(16, 8), attention=dict(type="CBAM", reduction=4)),
)
ds = dict(type="MaskFolderDataset", split_ratios=(0.67, 0.17, 0.16), split_seed=0)
train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    sampler=dict(type="DefaultSampler", shuffle=True),
    dataset=dict(ds, split="train", pipeline=[dict(type="RandomCropPad", size=(64, 64))]),
)
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    sampler=dict(type="DefaultSampler", shuffle=False),
    dataset=dict(ds, split="val"),
)
val_evaluator = dict(type="ParticleMetric")
optim_wrapper = dict(type="OptimWrapper", optimizer=dict(type="Adam", lr=1e-2))
train_cfg = dict(type="EpochBasedTrainLoop", max_epochs=2, val_interval=1)
val_cfg = dict(type="ValLoop")
default_hooks = dict(
    checkpoint=dict(type="CheckpointHook", interval=1, save_best="IoU", rule="greater"),
    logger=dict(type="LoggerHook", interval=1),
)
custom_hooks = [
    dict(type="BackboneUnfreezeHook", unfreeze_epoch=1),
    dict(type="SafetensorsExportHook", interval=1),
    dict(type="CurvePlotHook"),
    dict(type="RankWeightsProbe"),
]
"""


def _disc_data(root: Path, n: int = 12, size: int = 96) -> Path:
    """``root/images`` and ``root/masks``: bright discs on a noisy dark background."""
    rng = np.random.default_rng(0)
    (root / "images").mkdir(parents=True)
    (root / "masks").mkdir()
    for i in range(n):
        mask = np.zeros((size, size), np.uint8)
        for _ in range(4):
            cx, cy = (int(v) for v in rng.integers(10, size - 10, 2))
            cv2.circle(mask, (cx, cy), int(rng.integers(5, 12)), 255, -1)
        image = np.where(mask > 0, 200, 60) + rng.normal(0, 10, mask.shape)
        cv2.imwrite(str(root / "images" / f"d{i}.png"), np.clip(image, 0, 255).astype(np.uint8))
        cv2.imwrite(str(root / "masks" / f"d{i}.png"), mask)
    return root


@pytest.mark.slow
def test_two_cpu_processes_train_in_step_and_rank0_writes(tmp_path: Path) -> None:
    config = tmp_path / "tiny_ddp.py"
    config.write_text(CONFIG.format(runtime=str(RUNTIME), data=str(_disc_data(tmp_path / "data"))))
    work = tmp_path / "work"
    nanokit = Path(sys.executable).with_name("nanokit")
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc_per_node",
        "2",
    ]
    command += [str(nanokit), "--quiet", "train", str(config), "--work-dir", str(work)]
    command += ["--launcher", "pytorch"]
    env = dict(os.environ, PYTHONPATH=str(HERE), OMP_NUM_THREADS="1")
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]

    # Both ranks end with the same weights: the backbone, frozen when DDP wrapped the model and
    # unfrozen for epoch 2, is synchronised too; it did not move in epoch 1 and did in epoch 2.
    ranks = [json.loads((work / f"rank{r}.json").read_text()) for r in (0, 1)]
    assert ranks[0]["after"] == pytest.approx(ranks[1]["after"], rel=1e-6, abs=1e-9)
    backbone = [k for k in ranks[0]["before"] if k.startswith("backbone.")]
    assert backbone and any(ranks[0]["after"][k] != ranks[0]["before"][k] for k in backbone)
    from nanokit.apis.model import build_model
    from nanokit.training.checkpoint import trusted_checkpoints

    with trusted_checkpoints():
        epoch1 = torch.load(work / "epoch_1.pth", map_location="cpu")["state_dict"]
    for key in backbone:
        assert float(epoch1[key].double().sum()) == pytest.approx(ranks[0]["before"][key])

    # Rank 0's checkpoint loads into a fresh model and holds the trained weights.
    from nanokit.utils.checkpoint import load_weights

    model = build_model(Config.fromfile(str(config)))
    load_weights(model, work / "last.safetensors")
    sums = {k: float(p.detach().double().sum()) for k, p in model.named_parameters()}
    assert sums == pytest.approx(ranks[0]["after"], rel=1e-6, abs=1e-9)

    # Validation metrics are gathered from both ranks (the val split has 2 images, one per
    # rank); only rank 0 logs and plots (the curves hold its losses, not rank 1's).
    (log_dir,) = (p for p in work.iterdir() if p.is_dir())
    scalars = [json.loads(line) for line in (log_dir / "vis_data" / "scalars.json").open()]
    assert [s["n_images"] for s in scalars if "IoU" in s] == [2, 2]
    curves = json.loads((work / "curves.json").read_text())
    mine = [np.mean(ranks[0]["losses"][e]) for e in ("1", "2")]
    assert curves["epoch"] == [1, 2] and curves["train_loss"] == pytest.approx(mine)


def test_launcher_none_is_a_single_process() -> None:
    cfg = Config(dict(work_dir="w"))
    assert prepare_launcher(cfg) == "none" and "model_wrapper_cfg" not in cfg
    assert init_distributed("none") is False


def test_launcher_errors_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(NanokitError, match="--launcher must be one of none, pytorch"):
        init_distributed("slurm")
    for name in ("RANK", "LOCAL_RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(NanokitError, match="needs torchrun .*RANK"):
        prepare_launcher(Config(dict(launcher="pytorch")))


def test_under_torchrun_the_runner_gets_a_ddp_over_frozen_parameters_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One process posing as torchrun's rank 0 of 1 (gloo on loopback)."""
    import socket

    import torch.distributed as dist
    from mmengine.registry import MODEL_WRAPPERS
    from torch import nn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(RANK="0", LOCAL_RANK="0", WORLD_SIZE="1", MASTER_ADDR="127.0.0.1")
    for name, value in dict(env, MASTER_PORT=str(port)).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("torch.cuda.is_available", lambda: False)
    cfg = Config(dict(launcher="pytorch"))
    try:
        assert prepare_launcher(cfg) == "pytorch" and dist.get_backend() == "gloo"
        wrapper = dict(cfg.model_wrapper_cfg)
        assert wrapper["device_ids"] is None and wrapper["find_unused_parameters"]
        model = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 2))
        model[0].requires_grad_(False)  # a backbone built frozen
        wrapper_type = MODEL_WRAPPERS.get(wrapper.pop("type"))  # as Runner.wrap_model looks it up
        plain = MODEL_WRAPPERS.get("MMDistributedDataParallel")(module=model, **wrapper)
        ddp = wrapper_type(module=model, **wrapper)
        assert [p.requires_grad for p in model.parameters()] == [False, False, True, True]
        # (private torch API, used by torch's own DDP tests) tensors whose gradients DDP averages
        assert plain._get_ddp_logging_data()["num_parameter_tensors"] == 2
        assert ddp._get_ddp_logging_data()["num_parameter_tensors"] == 4
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()
