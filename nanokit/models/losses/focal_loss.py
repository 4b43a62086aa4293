"""Focal loss (Lin et al., ICCV 2017): cross-entropy down-weighted on easy pixels."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from ...registry import LOSSES
from .base import BaseLoss


@LOSSES.register_module()
class FocalLoss(BaseLoss):
    """``-alpha_t (1 - p_t)^gamma log p_t``, averaged over labelled pixels.

    Args:
        loss_weight: factor applied to the loss.
        gamma: focusing exponent (0 gives cross-entropy).
        alpha: optional weight per class.
        ignore_index: label value left out.
    """

    name = "loss_focal"

    def __init__(
        self,
        loss_weight: float = 1.0,
        gamma: float = 2.0,
        alpha: Sequence[float] | None = None,
        ignore_index: int = 255,
    ) -> None:
        super().__init__(loss_weight, ignore_index)
        self.gamma = gamma
        weight = torch.tensor(alpha, dtype=torch.float32) if alpha else None
        self.register_buffer("alpha", weight, persistent=False)

    def compute(
        self, logits: torch.Tensor, target: torch.Tensor, valid: torch.Tensor
    ) -> torch.Tensor:
        labels = torch.where(valid, target, 0)
        log_p = logits.log_softmax(dim=1).gather(1, labels.unsqueeze(1)).squeeze(1)
        loss = -((1 - log_p.exp()) ** self.gamma) * log_p
        if self.alpha is not None:
            loss = loss * self.alpha[labels]
        return loss[valid].mean()
