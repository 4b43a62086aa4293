"""Interface of attention blocks: N x C x H x W features in, the same shape out."""

from __future__ import annotations

from torch import nn


class BaseAttention(nn.Module):
    """An attention block that reweights features and keeps their shape.

    Args:
        channels: number of feature channels C; decoders pass it when they build the block.
    """

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.channels = channels
