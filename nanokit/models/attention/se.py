"""Squeeze-and-excitation channel attention (Hu et al., CVPR 2018)."""

from __future__ import annotations

import torch
from torch import nn

from ...registry import ATTENTION
from .base import BaseAttention


@ATTENTION.register_module()
class SE(BaseAttention):
    """Global average pool -> MLP (C -> C/reduction -> C) -> sigmoid -> channel weights.

    Args:
        channels: feature channels C.
        reduction: MLP reduction ratio (hidden width ``max(C // reduction, 1)``).
    """

    def __init__(self, channels: int, reduction: int = 16) -> None:
        super().__init__(channels)
        hidden = max(channels // reduction, 1)
        self.gate = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            nn.Conv2d(channels, hidden, 1),
            nn.ReLU(inplace=True),
            nn.Conv2d(hidden, channels, 1),
            nn.Sigmoid(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gate(x)
