"""DeepLabv3+ head: ASPP on the coarse feature plus a low-level skip (Chen et al., ECCV 2018)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ...registry import DECODERS
from .base import BaseDecoder, conv_bn_relu


@DECODERS.register_module()
class DeepLabV3PlusHead(BaseDecoder):
    """ASPP (1x1 conv, atrous 3x3 convs, image pooling) -> upsample -> concat low-level -> 2 convs.

    Args:
        in_channels: encoder widths, fine to coarse.
        in_strides: encoder strides (typically 4 for the low-level and 16 for the last feature).
        num_classes: output classes.
        channels: width of ASPP branches and of the decoder convs.
        dilations: dilation of each ASPP branch (1 = the 1x1 branch); (1, 6, 12, 18) at stride 16.
        low_level_index: which feature is the low-level skip.
        low_level_channels: its width after the 1x1 reduction.
        dropout: dropout after the ASPP projection.
    """

    def __init__(
        self,
        in_channels: Sequence[int],
        in_strides: Sequence[int],
        num_classes: int,
        channels: int = 256,
        dilations: Sequence[int] = (1, 6, 12, 18),
        low_level_index: int = 0,
        low_level_channels: int = 48,
        dropout: float = 0.1,
    ) -> None:
        super().__init__(in_channels, in_strides, num_classes)
        c_in = self.in_channels[-1]
        self.aspp = nn.ModuleList(
            conv_bn_relu(c_in, channels, 1 if d == 1 else 3, dilation=d) for d in dilations
        )
        # image-level branch: no BatchNorm on a 1 x 1 map, so batches of one image train
        self.image_pool = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), nn.Conv2d(c_in, channels, 1), nn.ReLU(inplace=True)
        )
        self.project = nn.Sequential(
            conv_bn_relu((len(dilations) + 1) * channels, channels, 1), nn.Dropout2d(dropout)
        )
        self.low_level_index = low_level_index
        self.reduce = conv_bn_relu(self.in_channels[low_level_index], low_level_channels, 1)
        self.fuse = nn.Sequential(
            conv_bn_relu(channels + low_level_channels, channels, 3),
            conv_bn_relu(channels, channels, 3),
        )
        self.classifier = nn.Conv2d(channels, num_classes, 1)
        self.output_stride = self.in_strides[low_level_index]

    def forward(self, features: list[torch.Tensor]) -> torch.Tensor:
        x = features[-1]
        pooled = self.image_pool(x).expand(-1, -1, *x.shape[-2:])
        x = self.project(torch.cat([branch(x) for branch in self.aspp] + [pooled], dim=1))
        low = self.reduce(features[self.low_level_index])
        x = F.interpolate(x, size=low.shape[-2:], mode="bilinear", align_corners=False)
        return self.classifier(self.fuse(torch.cat([x, low], dim=1)))
