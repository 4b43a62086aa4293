"""Fixtures for training tests: a tiny segmentor (the EncoderDecoder contract) and tiny data."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import torch.nn.functional as F
from mmengine.model import BaseModel
from torch import nn

from nanokit.registry import SEGMENTORS


class TinySegmentor(BaseModel):
    """Two conv layers with the forward modes, loss and freeze_backbone of EncoderDecoder."""

    def __init__(self, num_classes: int = 2, width: int = 8) -> None:
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU()
        )
        self.head = nn.Conv2d(width, num_classes, 1)

    def freeze_backbone(self, frozen: bool = True) -> None:
        for p in self.backbone.parameters():
            p.requires_grad = not frozen

    def forward(self, inputs, data_samples=None, mode="tensor"):  # noqa: ANN001, ANN201
        logits = self.head(self.backbone(inputs))
        if mode == "loss":
            return {"loss_ce": F.cross_entropy(logits, data_samples, ignore_index=255)}
        if mode == "predict":
            return [
                {"pred": lg.argmax(0), "gt": None if data_samples is None else data_samples[i]}
                for i, lg in enumerate(logits)
            ]
        return logits


@pytest.fixture
def tiny_segmentor():
    """Registers ``TinySegmentor`` in SEGMENTORS for one test."""
    SEGMENTORS.register_module(module=TinySegmentor)
    yield "TinySegmentor"
    SEGMENTORS._module_dict.pop("TinySegmentor", None)


def write_disc_folder(root: Path, n: int = 6, size: int = 96, seed: int = 0) -> Path:
    """``root/images/*.png`` bright discs on a dark noisy background, ``root/masks/*.png``."""
    rng = np.random.default_rng(seed)
    (root / "images").mkdir(parents=True)
    (root / "masks").mkdir()
    for i in range(n):
        mask = np.zeros((size, size), np.uint8)
        for _ in range(4):
            cx, cy = rng.integers(10, size - 10, 2)
            cv2.circle(mask, (int(cx), int(cy)), int(rng.integers(5, 12)), 255, -1)
        img = np.where(mask > 0, 200, 60) + rng.normal(0, 10, mask.shape)
        cv2.imwrite(str(root / "images" / f"s{i}.png"), np.clip(img, 0, 255).astype(np.uint8))
        cv2.imwrite(str(root / "masks" / f"s{i}.png"), mask)
    return root


@pytest.fixture
def disc_folder(tmp_path: Path) -> Path:
    return write_disc_folder(tmp_path / "data")


def tiny_config(data_root: Path, work_dir: Path, model_type: str, **overrides) -> dict:
    """A complete training config for the tiny model: 64x64 crops, 1 epoch of 2 iterations."""
    pipeline = [dict(type="RandomFlip", prob=0.5), dict(type="RandomCropPad", size=(64, 64))]
    ds = dict(type="MaskFolderDataset", split_ratios=(0.67, 0.17, 0.16), split_seed=0)
    cfg = dict(
        work_dir=str(work_dir),
        data_root=str(data_root),
        model=dict(type=model_type),
        train_dataloader=dict(
            batch_size=2,
            num_workers=0,
            sampler=dict(type="DefaultSampler", shuffle=True),
            dataset=dict(ds, split="train", pipeline=pipeline),
        ),
        val_dataloader=dict(
            batch_size=1,
            num_workers=0,
            sampler=dict(type="DefaultSampler", shuffle=False),
            dataset=dict(ds, split="val"),
        ),
        test_dataloader=dict(batch_size=1, num_workers=0, dataset=dict(ds, split="test")),
        val_evaluator=dict(type="ParticleMetric"),
        test_evaluator=dict(type="ParticleMetric"),
        optim_wrapper=dict(type="OptimWrapper", optimizer=dict(type="Adam", lr=1e-2)),
        param_scheduler=[dict(type="CosineAnnealingLR", by_epoch=True, begin=0, end=1)],
        train_cfg=dict(type="EpochBasedTrainLoop", max_epochs=1, val_interval=1),
        val_cfg=dict(type="ValLoop"),
        default_hooks=dict(
            checkpoint=dict(type="CheckpointHook", interval=1, save_best="IoU", rule="greater"),
            logger=dict(type="LoggerHook", interval=1),
        ),
        custom_hooks=[
            dict(type="BackboneUnfreezeHook", unfreeze_epoch=1),
            dict(type="SafetensorsExportHook", interval=1),
            dict(type="CurvePlotHook"),
        ],
        default_scope="nanokit",
        randomness=dict(seed=0),
        env_cfg=dict(dist_cfg=dict(backend="gloo")),
    )
    cfg.update(overrides)
    return cfg
