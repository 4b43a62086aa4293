"""No attention: the features pass unchanged (the ablation without CBAM)."""

from __future__ import annotations

import torch

from ...registry import ATTENTION
from .base import BaseAttention


@ATTENTION.register_module()
class Identity(BaseAttention):
    """Returns its input.

    Args:
        channels: feature channels C (unused, accepted like every attention block).
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x
