"""Concurrent spatial and channel squeeze-and-excitation (Roy et al., MICCAI 2018)."""

from __future__ import annotations

import torch
from torch import nn

from ...registry import ATTENTION
from .se import SE


@ATTENTION.register_module()
class SCSE(SE):
    """Sum of channel SE (cSE) and a 1x1-conv spatial gate (sSE), each applied to the input.

    Args:
        channels: feature channels C.
        reduction: reduction ratio of the channel branch.
    """

    def __init__(self, channels: int, reduction: int = 16) -> None:
        super().__init__(channels, reduction)
        self.spatial_gate = nn.Sequential(nn.Conv2d(channels, 1, 1), nn.Sigmoid())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gate(x) + x * self.spatial_gate(x)
