"""Decoders: the U-Net decoder's stages, CRCRA, heads' output strides."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from nanokit.errors import NanokitError
from nanokit.models.attention import CBAM
from nanokit.models.decoders import CRCRA, HRNetV2Head, PSPHead, SegFormerHead, UNetDecoder
from nanokit.models.decoders.deeplabv3plus_head import DeepLabV3PlusHead


def _features(channels, strides, size=(64, 96), seed=0):
    g = torch.Generator().manual_seed(seed)
    return [
        torch.randn(1, c, size[0] // s, size[1] // s, generator=g)
        for c, s in zip(channels, strides, strict=True)
    ]


def test_crcra_is_conv_relu_conv_relu_attention():
    block = CRCRA(24, 8, attention=dict(type="CBAM", reduction=4))
    kinds = [type(m) for m in block.convs]
    assert kinds == [nn.Conv2d, nn.ReLU, nn.Conv2d, nn.ReLU]
    assert all(m.kernel_size == (3, 3) for m in block.convs if isinstance(m, nn.Conv2d))
    assert isinstance(block.attention, CBAM) and block.attention.channels == 8
    x = torch.randn(1, 24, 10, 12)
    assert torch.allclose(block(x), block.attention(block.convs(x)))


def test_unet_decoder_stages_follow_the_paper():
    """ResNet50 widths: concat stages 3072->512, 1024->256, 512->128, 192->64, then no concat."""
    channels, strides = [64, 256, 512, 1024, 2048], [2, 4, 8, 16, 32]
    decoder = UNetDecoder(channels, strides, 2, attention=dict(type="CBAM"))
    first_convs = [stage.convs[0] for stage in decoder.stages]
    assert [(c.in_channels, c.out_channels) for c in first_convs] == [
        (3072, 512), (1024, 256), (512, 128), (192, 64)
    ]  # fmt: skip
    assert decoder.final.convs[0].in_channels == 64  # last stage: no skip concatenated
    with torch.no_grad():
        out = decoder(_features(channels, strides))
    assert out.shape == (1, 2, 64, 96)


def test_unet_decoder_without_final_stage_for_a_stride_one_encoder():
    decoder = UNetDecoder([4, 8, 16], [1, 2, 4], 3, channels=(8, 4), attention=None)
    assert isinstance(decoder.final, nn.Identity)
    with torch.no_grad():
        assert decoder(_features([4, 8, 16], [1, 2, 4])).shape == (1, 3, 64, 96)


def test_unet_decoder_rejects_a_wrong_number_of_channels():
    with pytest.raises(NanokitError, match="need 4 decoder channels"):
        UNetDecoder([64, 256, 512, 1024, 2048], [2, 4, 8, 16, 32], 2, channels=(256, 128))


@pytest.mark.parametrize(
    ("head", "channels", "strides", "stride"),
    [
        (PSPHead, [32], [8], 8),
        (DeepLabV3PlusHead, [16, 32], [4, 16], 4),
        (HRNetV2Head, [8, 16, 24, 32], [4, 8, 16, 32], 4),
        (SegFormerHead, [8, 16, 24, 32], [4, 8, 16, 32], 4),
    ],
)
def test_heads_give_logits_at_their_output_stride(head, channels, strides, stride):
    decoder = head(channels, strides, 2).eval()
    assert decoder.output_stride == stride
    with torch.no_grad():
        out = decoder(_features(channels, strides))
    assert out.shape == (1, 2, 64 // stride, 96 // stride)
