"""Soft Dice loss over classes."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ...registry import LOSSES
from .base import BaseLoss


@LOSSES.register_module()
class DiceLoss(BaseLoss):
    """``1 - mean_c (2 |P_c G_c| + s) / (|P_c| + |G_c| + s)`` with softmax probabilities P.

    Args:
        loss_weight: factor applied to the loss.
        smooth: s, keeps empty classes finite.
        ignore_index: label value left out.
    """

    name = "loss_dice"

    def __init__(
        self, loss_weight: float = 1.0, smooth: float = 1.0, ignore_index: int = 255
    ) -> None:
        super().__init__(loss_weight, ignore_index)
        self.smooth = smooth

    def compute(
        self, logits: torch.Tensor, target: torch.Tensor, valid: torch.Tensor
    ) -> torch.Tensor:
        num_classes = logits.shape[1]
        mask = valid.unsqueeze(1).to(logits.dtype)
        prob = logits.softmax(dim=1) * mask
        onehot = F.one_hot(torch.where(valid, target, 0), num_classes).permute(0, 3, 1, 2)
        onehot = onehot.to(logits.dtype) * mask
        inter = (prob * onehot).sum(dim=(0, 2, 3))
        total = prob.sum(dim=(0, 2, 3)) + onehot.sum(dim=(0, 2, 3))
        return 1.0 - ((2 * inter + self.smooth) / (total + self.smooth)).mean()
