"""A two-iteration training run, the unfreeze hook, and the test stage's outputs."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config

from nanokit.apis import evaluate, train
from nanokit.errors import NanokitError
from nanokit.training import BackboneUnfreezeHook
from nanokit.utils.checkpoint import load_weights

from .conftest import TinySegmentor, tiny_config


def test_two_iterations_write_checkpoints_that_load_back(tmp_path, disc_folder, tiny_segmentor):
    cfg = Config(tiny_config(disc_folder, tmp_path / "work", tiny_segmentor))
    work = train.run_stage(cfg, quiet=True)
    assert (work / "epoch_1.pth").is_file()
    assert list(work.glob("best_IoU_epoch_1.pth"))
    for name in ("best.safetensors", "last.safetensors"):
        model = TinySegmentor()
        load_weights(model, work / name)  # strict: every key present and shaped right
    curves = json.loads((work / "curves.json").read_text())
    assert curves["epoch"] == [1] and len(curves["val"]["IoU"]) == 1
    assert (work / "curves.png").stat().st_size > 1000
    assert list(work.glob("*/*.log"))

    # the test stage picks best.safetensors from the work dir
    result = evaluate.run_stage(cfg, quiet=True)
    metrics = json.loads((work / "metrics.json").read_text())
    assert metrics["checkpoint"].endswith("best.safetensors")
    assert metrics["metrics"]["n_images"] == 1 and 0.0 <= metrics["metrics"]["IoU"] <= 1.0
    assert metrics["metrics"]["IoU"] == pytest.approx(result["metrics"]["IoU"])
    rows = (work / "per_image.csv").read_text().splitlines()
    assert rows[0].startswith("image,tp,fp,fn,tn,IoU") and len(rows) == 2


def test_same_seed_same_weights(tmp_path, disc_folder, tiny_segmentor):
    """The seed fixes the initial weights as well as the data order and augmentation."""
    weights = []
    for run in ("a", "b", "c"):
        seed = 1 if run == "c" else 0
        cfg = Config(tiny_config(disc_folder, tmp_path / run, tiny_segmentor))
        cfg.randomness = dict(seed=seed)
        cfg.experiment_name = f"seed_run_{run}"  # three runs within a second need own names
        model = TinySegmentor()
        load_weights(model, train.run_stage(cfg, quiet=True) / "last.safetensors")
        weights.append(model.head.weight.detach())
    assert torch.equal(weights[0], weights[1])
    assert not torch.equal(weights[0], weights[2])


def test_init_weights_start_training_from_given_weights(tmp_path, disc_folder, tiny_segmentor):
    """``init_weights`` (safetensors, e.g. the shipped network) initialise the model that
    trains: fine-tuning, unlike the random start of the seed."""
    from nanokit.utils.checkpoint import save_weights

    start = TinySegmentor()
    with torch.no_grad():
        start.head.weight.fill_(0.5)
    cfg = Config(tiny_config(disc_folder, tmp_path / "work", tiny_segmentor))
    cfg.init_weights = str(save_weights(start, tmp_path / "start.safetensors"))
    runner = train.build_runner(cfg, train=False, quiet=True)
    assert torch.equal(runner.model.head.weight, start.head.weight)
    cfg.init_weights = str(tmp_path / "missing.safetensors")
    with pytest.raises(NanokitError, match="weights file not found"):
        train.build_runner(cfg, train=False, quiet=True)


def test_resume_continues_from_the_last_checkpoint(tmp_path, disc_folder, tiny_segmentor):
    cfg = Config(tiny_config(disc_folder, tmp_path / "work", tiny_segmentor))
    cfg.experiment_name = "first"  # both runs may start within one second: own names
    train.run_stage(cfg, quiet=True)
    cfg2 = Config(tiny_config(disc_folder, tmp_path / "work", tiny_segmentor, resume=True))
    cfg2.experiment_name = "resumed"
    cfg2.max_epochs = 2
    work = train.run_stage(cfg2, quiet=True)  # loads epoch_1.pth under torch's safe loader
    assert (work / "epoch_2.pth").is_file()
    assert json.loads((work / "curves.json").read_text())["epoch"] == [1, 2]


def test_sync_schedule_copies_the_knobs():
    cfg = Config.fromfile(str(Path(__file__).parents[2] / "configs" / "paper.py"))
    cfg.merge_from_dict(
        {
            "max_epochs": 6,
            "freeze_backbone_epochs": 3,
            "checkpoint_interval": 2,
            "crop_size": (64, 96),
        }
    )
    train.sync_schedule(cfg)
    assert cfg.train_cfg.max_epochs == 6
    assert cfg.param_scheduler[0]["end"] == 6 and cfg.param_scheduler[0]["T_max"] == 6
    hooks = {h["type"]: h for h in cfg.custom_hooks}
    assert hooks["BackboneUnfreezeHook"]["unfreeze_epoch"] == 3
    assert hooks["SafetensorsExportHook"]["interval"] == 2
    assert cfg.default_hooks.checkpoint.interval == 2
    crop = [s for s in cfg.train_dataloader.dataset.pipeline if s["type"] == "RandomCropPad"]
    assert crop[0]["size"] == (64, 96)


def test_sync_schedule_keeps_a_warm_ups_end():
    cfg = Config.fromfile(str(Path(__file__).parents[2] / "configs" / "paper.py"))
    warm_up = dict(type="LinearLR", start_factor=0.1, by_epoch=True, begin=0, end=2)
    cfg.param_scheduler = [warm_up, *cfg.param_scheduler]
    cfg.max_epochs = 6
    train.sync_schedule(cfg)
    assert cfg.param_scheduler[0]["end"] == 2
    assert cfg.param_scheduler[1]["end"] == 6 and cfg.param_scheduler[1]["T_max"] == 6


def test_unfreeze_hook_flips_requires_grad_at_the_right_epoch():
    model = TinySegmentor()
    runner = SimpleNamespace(model=model, epoch=0, logger=SimpleNamespace(info=lambda msg: None))
    hook = BackboneUnfreezeHook(unfreeze_epoch=2)
    states = []
    for epoch in range(4):
        runner.epoch = epoch
        hook.before_train_epoch(runner)
        states.append(all(p.requires_grad for p in model.backbone.parameters()))
        assert all(p.requires_grad for p in model.head.parameters())
    assert states == [False, False, True, True]
    # resuming past the unfreeze epoch starts unfrozen
    model2 = TinySegmentor()
    model2.freeze_backbone(True)
    runner.model, runner.epoch = model2, 3
    BackboneUnfreezeHook(unfreeze_epoch=2).before_train_epoch(runner)
    assert all(p.requires_grad for p in model2.backbone.parameters())


def test_test_stage_without_weights_is_a_one_line_error(tmp_path, disc_folder, tiny_segmentor):
    from nanokit.errors import NanokitError

    cfg = Config(tiny_config(disc_folder, tmp_path / "empty", tiny_segmentor))
    with pytest.raises(NanokitError, match="no weights to test"):
        evaluate.run_stage(cfg, quiet=True)
    torch.manual_seed(0)
