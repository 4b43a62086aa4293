"""Attention blocks used inside decoders; importing this package registers them."""

from .base import BaseAttention
from .cbam import CBAM
from .eca import ECA
from .identity import Identity
from .scse import SCSE
from .se import SE

__all__ = ["CBAM", "ECA", "SE", "SCSE", "BaseAttention", "Identity"]
