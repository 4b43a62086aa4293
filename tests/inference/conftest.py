"""Tiny segmentors for the inference tests, built in code from a seed."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from timm.layers.padding import pad_same
from torch import nn


class LocalNet(nn.Module):
    """Two 3x3 convolutions, no downsampling: each logit sees a 5 x 5 neighbourhood."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 2, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv2(F.relu(self.conv1(x - 0.5)))


class StridedNet(nn.Module):
    """Pads to stride 4, downsamples, upsamples and crops back, like EncoderDecoder."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.down = nn.Conv2d(8, 16, 3, stride=4, padding=1)
        self.bn = nn.BatchNorm2d(16)
        self.head = nn.Conv2d(24, 2, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        height, width = x.shape[-2:]
        x = F.pad(x - 0.5, (0, (-width) % 4, 0, (-height) % 4), mode="replicate")
        skip = F.relu(self.stem(x))
        deep = F.relu(self.bn(self.down(skip)))
        deep = F.interpolate(deep, size=skip.shape[-2:], mode="bilinear", align_corners=False)
        return self.head(torch.cat([skip, deep], 1))[..., :height, :width]


def _seeded(cls: type[nn.Module]) -> nn.Module:
    torch.manual_seed(0)
    return cls().eval()


@pytest.fixture
def local_net() -> nn.Module:
    return _seeded(LocalNet)


@pytest.fixture
def strided_net() -> nn.Module:
    return _seeded(StridedNet)


def make_blobs(height: int, width: int, seed: int = 0) -> np.ndarray:
    """(H, W) uint8 grey image: bright discs on a noisy dark background."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:height, :width]
    image = rng.normal(40, 8, (height, width))
    for _ in range(max(1, height * width // 2000)):
        cy, cx, r = rng.uniform(0, height), rng.uniform(0, width), rng.uniform(4, 12)
        image[(yy - cy) ** 2 + (xx - cx) ** 2 < r * r] += 150
    return np.clip(image, 0, 255).astype(np.uint8)


@pytest.fixture
def blobs():
    """``blobs(height, width, seed=0)`` -> (H, W) uint8 synthetic particle image."""
    return make_blobs


#: a tiny EncoderDecoder (U-Net encoder 4-8-16, CRCRA decoder with CBAM): exports in seconds.
TINY_MODEL = dict(
    type="EncoderDecoder",
    num_classes=2,
    backbone=dict(type="UNetEncoder", channels=(4, 8, 16)),
    decoder=dict(type="UNetDecoder", channels=(8, 4), attention=dict(type="CBAM", reduction=2)),
)


@pytest.fixture(scope="session")
def tiny_model_cfg() -> dict:
    """The model dict of a tiny EncoderDecoder."""
    return TINY_MODEL


@pytest.fixture(scope="session")
def tiny_segmentor() -> nn.Module:
    from nanokit.apis.model import build_model

    torch.manual_seed(0)
    return build_model(dict(model=TINY_MODEL)).eval()


@pytest.fixture(scope="session")
def tiny_onnx(tiny_segmentor, tmp_path_factory):
    """The tiny segmentor exported once per session to fp32 ONNX (dynamo exporter)."""
    from nanokit.inference.export import export_onnx

    return export_onnx(
        tiny_segmentor, tmp_path_factory.mktemp("onnx") / "tiny.onnx", sample_hw=(64, 96)
    )


class SamePadNet(nn.Module):
    """TF-style "same" padding computed from the input size in float, as timm's EfficientNets."""

    def __init__(self) -> None:
        super().__init__()
        self.down = nn.Conv2d(3, 8, 3, stride=2)
        self.head = nn.Conv2d(8, 2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.relu(self.down(pad_same(x, [3, 3], [2, 2])))
        y = F.interpolate(y, size=x.shape[-2:], mode="bilinear", align_corners=False)
        return self.head(y)


@pytest.fixture
def same_pad_net() -> nn.Module:
    return _seeded(SamePadNet)
