"""PSPNet pyramid pooling head (Zhao et al., CVPR 2017)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ...registry import DECODERS
from .base import BaseDecoder, conv_bn_relu


@DECODERS.register_module()
class PSPHead(BaseDecoder):
    """Pyramid pooling on the coarsest feature, then a 3x3 fusion conv and a 1x1 classifier.

    Each pooled branch (``AdaptiveAvgPool(s)`` -> 1x1 conv -> ReLU; no BatchNorm, so batches of
    one image train) is upsampled back and concatenated with the feature.

    Args:
        in_channels: encoder widths, fine to coarse (only the last is used).
        in_strides: encoder strides (the last one is the output stride; use a dilated encoder,
            e.g. ``model_kwargs=dict(output_stride=8)``).
        num_classes: output classes.
        channels: width of the pooled branches and of the fusion conv.
        pool_scales: output sizes of the pyramid's pooling levels.
        dropout: dropout before the classifier.
    """

    def __init__(
        self,
        in_channels: Sequence[int],
        in_strides: Sequence[int],
        num_classes: int,
        channels: int = 512,
        pool_scales: Sequence[int] = (1, 2, 3, 6),
        dropout: float = 0.1,
    ) -> None:
        super().__init__(in_channels, in_strides, num_classes)
        c_in = self.in_channels[-1]
        self.pools = nn.ModuleList(
            nn.Sequential(
                nn.AdaptiveAvgPool2d(s), nn.Conv2d(c_in, channels, 1), nn.ReLU(inplace=True)
            )
            for s in pool_scales
        )
        self.bottleneck = conv_bn_relu(c_in + len(pool_scales) * channels, channels, 3)
        self.dropout = nn.Dropout2d(dropout)
        self.classifier = nn.Conv2d(channels, num_classes, 1)
        self.output_stride = self.in_strides[-1]

    def forward(self, features: list[torch.Tensor]) -> torch.Tensor:
        x = features[-1]
        size = x.shape[-2:]
        pooled = [
            F.interpolate(pool(x), size=size, mode="bilinear", align_corners=False)
            for pool in self.pools
        ]
        x = self.bottleneck(torch.cat([x, *pooled], dim=1))
        return self.classifier(self.dropout(x))
