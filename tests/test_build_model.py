"""build_model from paths, dicts and Configs; _base_ inheritance, overrides and _delete_."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from mmengine.config import Config

from nanokit import build_model, load_config
from nanokit.errors import NanokitError
from nanokit.utils.checkpoint import save_weights

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
SMALL = {  # a small U-Net, so the tests stay fast
    "model.backbone.channels": (8, 16, 32),
    "model.decoder.channels": (16, 8),
}


def _unet(overrides: dict | None = None) -> Config:
    return load_config(CONFIGS / "models" / "unet.py", {**SMALL, **(overrides or {})})


def test_leaf_config_inherits_the_paper_model_and_overrides_little():
    ablation = load_config(CONFIGS / "models" / "unet_resnet50.py")
    paper = load_config(CONFIGS / "_base_" / "models" / "unet_r50_crcra.py")
    assert ablation.model.backbone == paper.model.backbone
    assert ablation.model.decoder.channels == paper.model.decoder.channels == (512, 256, 128, 64)
    assert paper.model.decoder.attention.type == "CBAM"
    assert dict(ablation.model.decoder.attention) == {
        "type": "Identity"
    }  # _delete_ dropped reduction


def test_cfg_options_style_overrides_reach_the_model():
    cfg = _unet({"model.decoder.attention": dict(type="CBAM", reduction=2)})
    model = build_model(cfg)
    attention = model.decoder.stages[0].attention
    assert type(attention).__name__ == "CBAM"
    assert attention.mlp[0].out_channels == 16 // 2


def test_delete_swaps_the_attention_block(tmp_path):
    leaf = tmp_path / "unet_r50_scse.py"
    leaf.write_text(
        f"_base_ = [{str(CONFIGS / '_base_' / 'models' / 'unet_r50_crcra.py')!r}]\n"
        "model = dict(decoder=dict(attention=dict(_delete_=True, type='SCSE', reduction=8)))\n"
    )
    cfg = load_config(leaf)
    assert dict(cfg.model.decoder.attention) == {"type": "SCSE", "reduction": 8}
    without_delete = tmp_path / "merged.py"
    without_delete.write_text(leaf.read_text().replace("_delete_=True, ", ""))
    merged = load_config(without_delete)
    assert merged.model.decoder.attention.kernel_size == 7  # CBAM's key leaks without _delete_


def test_build_model_accepts_a_path_a_config_a_full_dict_and_a_model_dict():
    cfg = _unet()
    for source in (cfg, cfg.to_dict(), cfg.model.to_dict()):
        model = build_model(source).eval()
        with torch.no_grad():
            assert model(torch.rand(1, 3, 64, 72)).shape == (1, 2, 64, 72)
    assert (
        type(build_model(CONFIGS / "models" / "segformer_mit_b0.py")).__name__ == "EncoderDecoder"
    )


def test_build_model_errors_are_one_line():
    with pytest.raises(NanokitError, match="not found"):
        build_model(CONFIGS / "models" / "no_such_model.py")
    with pytest.raises(NanokitError, match="unknown type 'NoSuchDecoder'"):
        build_model(_unet({"model.decoder.type": "NoSuchDecoder"}))
    with pytest.raises(NanokitError, match="no 'model'"):
        build_model({"work_dir": "x"})


def test_build_model_loads_a_checkpoint_strictly(tmp_path):
    torch.manual_seed(0)
    source = build_model(_unet()).eval()
    path = save_weights(source, tmp_path / "unet.safetensors")
    torch.manual_seed(1)
    loaded = build_model(_unet(), checkpoint=path).eval()
    image = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(loaded(image), source(image))
    with pytest.raises(NanokitError, match="does not fit"):
        build_model(_unet({"model.decoder.channels": (32, 8)}), checkpoint=path)
