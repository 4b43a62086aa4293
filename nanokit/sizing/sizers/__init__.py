"""Registered sizers: mask -> particles with sizes (px)."""

from .base import PARTICLE_KEYS, BaseSizer, SizingResult, describe
from .ecd_sizer import EcdSizer
from .watershed_sizer import WatershedSizer

__all__ = ["PARTICLE_KEYS", "BaseSizer", "EcdSizer", "SizingResult", "WatershedSizer", "describe"]
