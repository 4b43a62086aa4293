"""EncoderDecoder: the contract the training and export code rely on."""

from __future__ import annotations

import math

import pytest
import torch

from nanokit import build_model
from nanokit.errors import NanokitError

from ..numerics import fp32_tolerance

TINY = dict(
    type="EncoderDecoder",
    num_classes=2,
    backbone=dict(type="UNetEncoder", channels=(8, 16, 32)),
    decoder=dict(type="UNetDecoder", channels=(16, 8), attention=dict(type="CBAM", reduction=4)),
)


def _tiny(**overrides):
    return build_model(dict(TINY, **overrides))


def _images(n=2, h=67, w=93, seed=0):
    return torch.rand(n, 3, h, w, generator=torch.Generator().manual_seed(seed))


def test_tensor_mode_gives_logits_at_any_size_from_64():
    model = _tiny().eval()
    with torch.no_grad():
        for h, w in ((64, 64), (67, 93), (101, 64)):
            assert model(_images(1, h, w)).shape == (1, 2, h, w)
    with pytest.raises(NanokitError, match="at least 64"):
        model(_images(1, 63, 80))
    with pytest.raises(NanokitError, match="N x 3 x H x W"):
        model(torch.rand(1, 1, 64, 64))


def test_odd_sizes_are_padded_with_the_mean_colour_and_cropped_back():
    """67 x 93 is zero-padded after normalisation (= the mean colour) to 68 x 96, then cropped."""
    model = _tiny().eval()
    image = _images(1)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    padded = mean.expand(1, 3, 68, 96).clone()
    padded[..., :67, :93] = image
    with torch.no_grad():
        difference = (model(image) - model(padded)[..., :67, :93]).abs().max()
    # the two sizes may get convolution kernels that sum in other orders
    assert difference <= fp32_tolerance(model, [image.numpy()])


def test_loss_mode_returns_finite_weighted_scalars_per_loss():
    model = _tiny(
        loss=[
            dict(type="CrossEntropyLoss", loss_weight=1.0),
            dict(type="DiceLoss", loss_weight=0.5),
            dict(type="FocalLoss", loss_weight=2.0),
        ]
    ).train()
    labels = torch.randint(0, 2, (2, 67, 93), generator=torch.Generator().manual_seed(1))
    labels[:, :10] = 255
    losses = model(_images(), labels, mode="loss")
    assert set(losses) == {"loss_ce", "loss_dice", "loss_focal"}
    for value in losses.values():
        assert value.dim() == 0 and math.isfinite(float(value.detach()))
    sum(losses.values()).backward()
    assert model.decoder.classifier.weight.grad is not None


def test_default_loss_is_cross_entropy_and_repeated_names_stay_apart():
    assert list(_tiny()(_images(), torch.zeros(2, 67, 93, dtype=torch.long), mode="loss")) == [
        "loss_ce"
    ]
    twice = _tiny(loss=[dict(type="DiceLoss"), dict(type="DiceLoss", smooth=0.1)])
    labels = torch.zeros(2, 67, 93, dtype=torch.long)
    assert len(twice(_images(), labels, mode="loss")) == 2
    with pytest.raises(NanokitError, match="needs labels"):
        twice(_images(), mode="loss")


def test_predict_mode_gives_one_dict_per_image():
    model = _tiny().eval()
    labels = torch.ones(2, 67, 93, dtype=torch.long)
    with torch.no_grad():
        out = model(_images(), labels, mode="predict")
    assert len(out) == 2
    assert out[0]["pred"].shape == (67, 93) and out[0]["pred"].dtype == torch.long
    assert torch.equal(out[1]["gt"], labels[1])
    with torch.no_grad():
        assert model(_images(), mode="predict")[0]["gt"] is None


def test_freezing_freezes_exactly_the_backbone():
    model = _tiny()
    model.freeze_backbone(True)
    model.train()
    for name, param in model.named_parameters():
        assert param.requires_grad == (not name.startswith("backbone.")), name
    bns = [m for m in model.backbone.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert bns and not any(bn.training for bn in bns)
    assert model.decoder.training
    before = bns[0].running_mean.clone()
    model(_images(), torch.zeros(2, 67, 93, dtype=torch.long), mode="loss")
    assert torch.equal(bns[0].running_mean, before)  # frozen statistics
    model.freeze_backbone(False)
    assert all(p.requires_grad for p in model.parameters())
    assert all(bn.training for bn in bns)


def test_backbone_frozen_in_config_starts_frozen():
    model = _tiny(backbone=dict(type="UNetEncoder", channels=(8, 16, 32), frozen=True))
    assert not any(p.requires_grad for p in model.backbone.parameters())
    assert all(p.requires_grad for p in model.decoder.parameters())
