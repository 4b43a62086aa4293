"""CBAM: channel attention followed by spatial attention (Woo et al., ECCV 2018; paper Fig. 2)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ...registry import ATTENTION
from .base import BaseAttention


@ATTENTION.register_module()
class CBAM(BaseAttention):
    """Convolutional block attention module.

    Channel attention: average- and max-pooled descriptors go through one shared MLP
    (C -> C/reduction -> C), are summed and squashed by a sigmoid. Spatial attention: the channel
    max and channel mean maps are concatenated, convolved by a ``kernel_size`` conv to one map and
    squashed by a sigmoid. ``F' = Mc(F) * F``, ``F'' = Ms(F') * F'``.

    Args:
        channels: feature channels C.
        reduction: MLP reduction ratio r (hidden width ``max(C // r, 1)``).
        kernel_size: side of the spatial-attention convolution (odd).
    """

    def __init__(self, channels: int, reduction: int = 16, kernel_size: int = 7) -> None:
        super().__init__(channels)
        hidden = max(channels // reduction, 1)
        self.mlp = nn.Sequential(
            nn.Conv2d(channels, hidden, 1, bias=False),
            nn.ReLU(inplace=True),
            nn.Conv2d(hidden, channels, 1, bias=False),
        )
        self.spatial = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=False)

    def channel_map(self, x: torch.Tensor) -> torch.Tensor:
        """Channel weights Mc in (0, 1), shape N x C x 1 x 1."""
        # sums over counts, not ``mean``: the same values, but PyTorch's CPU mean over bf16
        # tensors (autocast inference) is several times slower than its sum
        avg = self.mlp(x.sum(dim=(2, 3), keepdim=True) / (x.shape[2] * x.shape[3]))
        # adaptive max pooling, not amax over (H, W): the same values, several times faster
        # on CPU tensors in channels-last layout
        peak = self.mlp(F.adaptive_max_pool2d(x, 1))
        return torch.sigmoid(avg + peak)

    def spatial_map(self, x: torch.Tensor) -> torch.Tensor:
        """Spatial weights Ms in (0, 1), shape N x 1 x H x W."""
        mean = x.sum(dim=1, keepdim=True) / x.shape[1]  # see channel_map
        pooled = torch.cat([x.amax(dim=1, keepdim=True), mean], dim=1)
        return torch.sigmoid(self.spatial(pooled))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x * self.channel_map(x)
        return x * self.spatial_map(x)
