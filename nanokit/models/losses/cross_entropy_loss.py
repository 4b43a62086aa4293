"""Pixel-wise cross-entropy, the paper's loss."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F

from ...registry import LOSSES
from .base import BaseLoss


@LOSSES.register_module()
class CrossEntropyLoss(BaseLoss):
    """Mean cross-entropy over the labelled pixels.

    Args:
        loss_weight: factor applied to the loss.
        class_weight: optional weight per class.
        ignore_index: label value left out.
    """

    name = "loss_ce"

    def __init__(
        self,
        loss_weight: float = 1.0,
        class_weight: Sequence[float] | None = None,
        ignore_index: int = 255,
    ) -> None:
        super().__init__(loss_weight, ignore_index)
        weight = torch.tensor(class_weight, dtype=torch.float32) if class_weight else None
        self.register_buffer("class_weight", weight, persistent=False)

    def compute(
        self, logits: torch.Tensor, target: torch.Tensor, valid: torch.Tensor
    ) -> torch.Tensor:
        return F.cross_entropy(
            logits, target, weight=self.class_weight, ignore_index=self.ignore_index
        )
