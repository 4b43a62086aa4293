"""HRNetV2 head: every resolution upsampled to the finest and concatenated (Wang et al., 2019)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ...registry import DECODERS
from .base import BaseDecoder, conv_bn_relu


@DECODERS.register_module()
class HRNetV2Head(BaseDecoder):
    """Upsample all features to the finest, concatenate, 1x1 conv-BN-ReLU, 1x1 classifier.

    Args:
        in_channels: branch widths, fine to coarse (HRNet-W18: 18, 36, 72, 144).
        in_strides: branch strides (4, 8, 16, 32).
        num_classes: output classes.
        channels: width of the fusion conv; None = the sum of the inputs (as in HRNetV2).
        dropout: dropout before the classifier.
    """

    def __init__(
        self,
        in_channels: Sequence[int],
        in_strides: Sequence[int],
        num_classes: int,
        channels: int | None = None,
        dropout: float = 0.0,
    ) -> None:
        super().__init__(in_channels, in_strides, num_classes)
        total = sum(self.in_channels)
        channels = channels or total
        self.fuse = conv_bn_relu(total, channels, 1)
        self.dropout = nn.Dropout2d(dropout)
        self.classifier = nn.Conv2d(channels, num_classes, 1)
        self.output_stride = self.in_strides[0]

    def forward(self, features: list[torch.Tensor]) -> torch.Tensor:
        size = features[0].shape[-2:]
        maps = [features[0]] + [
            F.interpolate(f, size=size, mode="bilinear", align_corners=False) for f in features[1:]
        ]
        return self.classifier(self.dropout(self.fuse(torch.cat(maps, dim=1))))
