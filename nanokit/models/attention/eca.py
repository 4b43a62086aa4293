"""Efficient channel attention (Wang et al., CVPR 2020)."""

from __future__ import annotations

import math

import torch
from torch import nn

from ...registry import ATTENTION
from .base import BaseAttention


@ATTENTION.register_module()
class ECA(BaseAttention):
    """Global average pool -> 1-D conv across channels -> sigmoid -> channel weights.

    Args:
        channels: feature channels C.
        kernel_size: width of the 1-D conv; None picks the paper's adaptive odd size
            ``|log2(C) / gamma + b / gamma|``.
        gamma: slope of the adaptive kernel size.
        b: offset of the adaptive kernel size.
    """

    def __init__(
        self, channels: int, kernel_size: int | None = None, gamma: int = 2, b: int = 1
    ) -> None:
        super().__init__(channels)
        if kernel_size is None:
            k = int(abs(math.log2(channels) / gamma + b / gamma))
            kernel_size = k if k % 2 else k + 1
        self.conv = nn.Conv1d(1, 1, kernel_size, padding=kernel_size // 2, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x.mean(dim=(2, 3))  # N x C
        y = self.conv(y.unsqueeze(1)).squeeze(1)
        return x * torch.sigmoid(y)[:, :, None, None]
