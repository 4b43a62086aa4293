"""SegFormer all-MLP head (Xie et al., NeurIPS 2021)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ...registry import DECODERS
from .base import BaseDecoder, conv_bn_relu


@DECODERS.register_module()
class SegFormerHead(BaseDecoder):
    """Per-level linear projection to ``channels``, upsample to the finest level, concatenate,
    fuse by a 1x1 conv-BN-ReLU, classify.

    Args:
        in_channels: encoder widths, fine to coarse (MiT-B0: 32, 64, 160, 256).
        in_strides: encoder strides (4, 8, 16, 32).
        num_classes: output classes.
        channels: common embedding width (256 for B0/B1, 768 for larger encoders).
        dropout: dropout before the classifier.
    """

    def __init__(
        self,
        in_channels: Sequence[int],
        in_strides: Sequence[int],
        num_classes: int,
        channels: int = 256,
        dropout: float = 0.1,
    ) -> None:
        super().__init__(in_channels, in_strides, num_classes)
        self.linears = nn.ModuleList(nn.Conv2d(c, channels, 1) for c in self.in_channels)
        self.fuse = conv_bn_relu(len(self.in_channels) * channels, channels, 1)
        self.dropout = nn.Dropout2d(dropout)
        self.classifier = nn.Conv2d(channels, num_classes, 1)
        self.output_stride = self.in_strides[0]

    def forward(self, features: list[torch.Tensor]) -> torch.Tensor:
        size = features[0].shape[-2:]
        maps = [
            F.interpolate(linear(f), size=size, mode="bilinear", align_corners=False)
            for linear, f in zip(self.linears, features, strict=True)
        ]
        return self.classifier(self.dropout(self.fuse(torch.cat(maps, dim=1))))
