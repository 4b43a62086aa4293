"""Segmenters for measurement: the classical one, trained networks (tiled) and
the small U-Net that ships with nanokit."""

from .classical_segmenter import ClassicalSegmenter
from .network_segmenter import NetworkSegmenter
from .synth_unet_segmenter import SynthUNetSegmenter

__all__ = ["ClassicalSegmenter", "NetworkSegmenter", "SynthUNetSegmenter"]
