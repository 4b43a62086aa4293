"""Interface of decoders: encoder features in, per-pixel class logits out."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


def conv_bn_relu(in_channels: int, out_channels: int, kernel_size: int = 1, dilation: int = 1):
    """Conv (same padding, no bias) - BatchNorm - ReLU."""
    return nn.Sequential(
        nn.Conv2d(
            in_channels,
            out_channels,
            kernel_size,
            padding=dilation * (kernel_size // 2),
            dilation=dilation,
            bias=False,
        ),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
    )


class BaseDecoder(nn.Module):
    """A decoder head.

    The segmentor passes ``in_channels``, ``in_strides`` (what the encoder, or neck, returns, fine
    to coarse) and ``num_classes``; ``forward`` maps the feature list to N x num_classes x h x w
    logits at stride ``output_stride`` (the segmentor resizes them to the input).
    """

    output_stride: int

    def __init__(self, in_channels: Sequence[int], in_strides: Sequence[int], num_classes: int):
        super().__init__()
        self.in_channels = list(in_channels)
        self.in_strides = list(in_strides)
        self.num_classes = num_classes

    def forward(self, features: list[torch.Tensor]) -> torch.Tensor:  # pragma: no cover
        raise NotImplementedError
