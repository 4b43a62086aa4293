"""Losses: values on simple cases, ignore_index, weights."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from nanokit.models.losses import CrossEntropyLoss, DiceLoss, FocalLoss


def _case(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(2, 2, 8, 8, generator=g), torch.randint(0, 2, (2, 8, 8), generator=g)


def test_cross_entropy_matches_torch_and_skips_ignored():
    logits, target = _case()
    target[0, :4] = 255
    expected = F.cross_entropy(logits, target, ignore_index=255)
    assert torch.allclose(CrossEntropyLoss()(logits, target), expected)
    assert torch.allclose(CrossEntropyLoss(loss_weight=0.5)(logits, target), 0.5 * expected)


def test_focal_with_gamma_zero_is_cross_entropy_and_smaller_otherwise():
    logits, target = _case(1)
    ce = CrossEntropyLoss()(logits, target)
    assert torch.allclose(FocalLoss(gamma=0.0)(logits, target), ce, atol=1e-6)
    assert FocalLoss(gamma=2.0)(logits, target) < ce


def test_dice_is_zero_for_a_confident_correct_prediction_and_high_for_a_wrong_one():
    _, target = _case(2)
    good = F.one_hot(target, 2).permute(0, 3, 1, 2).float() * 40 - 20
    assert DiceLoss(smooth=0.0)(good, target) < 1e-6
    assert DiceLoss()(-good, target) > 0.9


def test_all_ignored_target_gives_a_finite_zero_with_gradient():
    logits, _ = _case(3)
    logits.requires_grad_(True)
    target = torch.full((2, 8, 8), 255)
    for loss in (CrossEntropyLoss(), DiceLoss(), FocalLoss()):
        value = loss(logits, target)
        assert torch.isfinite(value) and float(value.detach()) == 0.0
        value.backward()
