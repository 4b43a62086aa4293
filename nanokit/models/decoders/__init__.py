"""Decoders (and the U-Net fusion block); importing this package registers them."""

from .base import BaseDecoder
from .crcra import CRCRA
from .unet_decoder import UNetDecoder

__all__ = ["CRCRA", "BaseDecoder", "UNetDecoder"]
