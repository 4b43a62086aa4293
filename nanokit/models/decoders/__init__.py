"""Decoders (and the U-Net fusion block); importing this package registers them."""

from .base import BaseDecoder
from .crcra import CRCRA
from .deeplabv3plus_head import DeepLabV3PlusHead
from .hrnetv2_head import HRNetV2Head
from .psp_head import PSPHead
from .segformer_head import SegFormerHead
from .unet_decoder import UNetDecoder

__all__ = [
    "CRCRA",
    "BaseDecoder",
    "DeepLabV3PlusHead",
    "HRNetV2Head",
    "PSPHead",
    "SegFormerHead",
    "UNetDecoder",
]
