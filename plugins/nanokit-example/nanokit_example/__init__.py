"""Example nanokit plugin; importing it registers :class:`SimAM` in nanokit's ATTENTION registry."""

from .simam import SimAM

__all__ = ["SimAM"]
