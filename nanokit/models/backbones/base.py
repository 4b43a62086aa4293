"""Interface of encoders: an image batch in, a list of feature maps (fine to coarse) out."""

from __future__ import annotations

import torch
from torch import nn


class BaseBackbone(nn.Module):
    """A multi-scale encoder.

    Subclasses set ``out_channels`` (channels of each returned map) and ``strides`` (its
    downsampling factor w.r.t. the input), both ordered fine to coarse, and return a list of
    N x out_channels[i] x H/strides[i] x W/strides[i] tensors from ``forward``.

    Subclasses end their ``__init__`` with ``self.freeze(frozen)`` to honour a ``frozen``
    argument once their layers exist.
    """

    out_channels: list[int]
    strides: list[int]

    def __init__(self) -> None:
        super().__init__()
        self.frozen = False

    @property
    def size_divisor(self) -> int:
        """Input sides must be multiples of this (the coarsest stride)."""
        return max(self.strides)

    def freeze(self, frozen: bool = True) -> None:
        """Turn gradients off (on) for every parameter; frozen encoders stay in eval mode.

        Eval mode keeps BatchNorm running statistics fixed, as a frozen pretrained encoder needs.
        """
        self.frozen = frozen
        for param in self.parameters():
            param.requires_grad_(not frozen)
        self.train(self.training)

    def train(self, mode: bool = True) -> BaseBackbone:
        super().train(mode)
        if self.frozen:
            for child in self.children():
                child.train(False)
        return self

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:  # pragma: no cover - interface
        raise NotImplementedError
