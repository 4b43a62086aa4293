"""Encoders giving multi-scale features; importing this package registers them."""

from .base import BaseBackbone
from .mit import MiT
from .timm_backbone import TimmBackbone
from .unet_encoder import UNetEncoder

__all__ = ["BaseBackbone", "MiT", "TimmBackbone", "UNetEncoder"]
