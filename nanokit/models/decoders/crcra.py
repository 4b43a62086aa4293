"""CRCRA: conv3x3-ReLU-conv3x3-ReLU-attention, the paper's decoder fusion block (Fig. 1c)."""

from __future__ import annotations

import torch
from torch import nn

from ...registry import ATTENTION, DECODERS, build


@DECODERS.register_module()
class CRCRA(nn.Module):
    """A U-Net fusion block (used by :class:`UNetDecoder`, not a decoder of its own).

    With ``attention=dict(type="Identity")`` (or None) it is the plain U-Net block.

    Args:
        in_channels: channels after concatenating the upsampled map and the skip.
        out_channels: channels of both convolutions.
        attention: ATTENTION config applied last (``dict(type="CBAM")`` in the paper); gets
            ``channels=out_channels``.
        norm: add BatchNorm after each convolution (the paper has none).
    """

    def __init__(
        self, in_channels: int, out_channels: int, attention: dict | None = None, norm: bool = False
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        for c_in in (in_channels, out_channels):
            layers.append(nn.Conv2d(c_in, out_channels, 3, padding=1, bias=not norm))
            if norm:
                layers.append(nn.BatchNorm2d(out_channels))
            layers.append(nn.ReLU(inplace=True))
        self.convs = nn.Sequential(*layers)
        self.attention = (
            build(ATTENTION, dict(attention), channels=out_channels) if attention else nn.Identity()
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.attention(self.convs(x))
