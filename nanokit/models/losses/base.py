"""Interface of losses: logits and a label map in, a weighted scalar out."""

from __future__ import annotations

import torch
from torch import nn


class BaseLoss(nn.Module):
    """A segmentation loss.

    ``forward(logits, target)`` takes N x C x H x W logits and an N x H x W LongTensor of class
    indices (``ignore_index`` pixels are left out) and returns ``loss_weight`` times the loss.
    ``name`` is the key it gets in the segmentor's loss dict.

    Args:
        loss_weight: factor applied to the loss (to combine several).
        ignore_index: label value that contributes nothing.
    """

    name: str = "loss"

    def __init__(self, loss_weight: float = 1.0, ignore_index: int = 255) -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self.ignore_index = ignore_index

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        valid = target != self.ignore_index
        if not bool(valid.any()):
            return logits.sum() * 0.0  # keeps the graph, no NaN from an empty mean
        return self.loss_weight * self.compute(logits, target, valid)

    def compute(
        self, logits: torch.Tensor, target: torch.Tensor, valid: torch.Tensor
    ) -> torch.Tensor:  # pragma: no cover - interface
        """The unweighted loss over ``valid`` (N x H x W bool) pixels."""
        raise NotImplementedError
