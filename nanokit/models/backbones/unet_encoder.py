"""The plain U-Net encoder (Ronneberger et al., 2015): no pretrained backbone."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from ...registry import BACKBONES
from .base import BaseBackbone


def double_conv(in_channels: int, out_channels: int) -> nn.Sequential:
    """(conv3x3 - BN - ReLU) x 2, keeping the spatial size."""
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
        nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
    )


@BACKBONES.register_module()
class UNetEncoder(BaseBackbone):
    """Double-conv stages separated by 2x2 max pooling; features at strides 1, 2, 4, ...

    Args:
        channels: width of each stage, fine to coarse (the original U-Net: 64 ... 1024).
        in_channels: image channels.
        frozen: start frozen (rarely useful without pretrained weights).
    """

    def __init__(
        self,
        channels: Sequence[int] = (64, 128, 256, 512, 1024),
        in_channels: int = 3,
        frozen: bool = False,
    ) -> None:
        super().__init__()
        widths = [in_channels, *channels]
        self.stages = nn.ModuleList(
            double_conv(a, b) for a, b in zip(widths, widths[1:], strict=False)
        )
        self.pool = nn.MaxPool2d(2)
        self.out_channels = list(channels)
        self.strides = [2**i for i in range(len(channels))]
        self.freeze(frozen)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        features = []
        for i, stage in enumerate(self.stages):
            x = stage(x if i == 0 else self.pool(x))
            features.append(x)
        return features
