"""U-Net decoder: upsample, concatenate the skip, fuse; a final stage up to full resolution."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ...errors import NanokitError
from ...registry import DECODERS, build
from .base import BaseDecoder


@DECODERS.register_module()
class UNetDecoder(BaseDecoder):
    """Decoder of the paper's Fig. 1a, with any fusion block.

    From the coarsest feature up, each stage upsamples x2 (bilinear), concatenates the next finer
    encoder feature and applies the fusion block (``channels[i]`` outputs). When the finest
    feature is coarser than the input (ResNet50: stride 2), one last stage upsamples to full
    resolution and applies the block without a concat. A 1x1 conv gives the logits.

    Args:
        in_channels: encoder widths, fine to coarse.
        in_strides: encoder strides, fine to coarse.
        num_classes: output classes.
        channels: output widths of the concat stages, coarse to fine; one per skip
            (``len(in_channels) - 1``). The paper: 512, 256, 128, 64.
        block: DECODERS config of the fusion block; gets ``in_channels``, ``out_channels`` and
            ``attention``. Default: CRCRA.
        attention: ATTENTION config for the fusion blocks (``dict(type="CBAM")``; None = none).
    """

    def __init__(
        self,
        in_channels: Sequence[int],
        in_strides: Sequence[int],
        num_classes: int,
        channels: Sequence[int] = (512, 256, 128, 64),
        block: dict | None = None,
        attention: dict | None = None,
    ) -> None:
        super().__init__(in_channels, in_strides, num_classes)
        if len(channels) != len(in_channels) - 1:
            raise NanokitError(
                f"UNetDecoder: {len(in_channels)} encoder features need "
                f"{len(in_channels) - 1} decoder channels, got {list(channels)}"
            )
        block = dict(block or {"type": "CRCRA"})

        def make(c_in: int, c_out: int) -> nn.Module:
            return build(
                DECODERS, dict(block), in_channels=c_in, out_channels=c_out, attention=attention
            )

        skips = list(reversed(self.in_channels[:-1]))
        prev = self.in_channels[-1]
        stages = []
        for skip, width in zip(skips, channels, strict=True):
            stages.append(make(prev + skip, width))
            prev = width
        self.stages = nn.ModuleList(stages)
        self.final_scale = self.in_strides[0]
        self.final = make(prev, prev) if self.final_scale > 1 else nn.Identity()
        self.classifier = nn.Conv2d(prev, num_classes, 1)
        self.output_stride = 1

    def forward(self, features: list[torch.Tensor]) -> torch.Tensor:
        x = features[-1]
        for stage, skip in zip(self.stages, reversed(features[:-1]), strict=True):
            x = F.interpolate(x, size=skip.shape[-2:], mode="bilinear", align_corners=False)
            x = stage(torch.cat([x, skip], dim=1))
        if self.final_scale > 1:
            x = F.interpolate(
                x, scale_factor=self.final_scale, mode="bilinear", align_corners=False
            )
            x = self.final(x)
        return self.classifier(x)
