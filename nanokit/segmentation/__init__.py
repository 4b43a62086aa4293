"""Segmenters for measurement: the classical one, trained networks (tiled), and the small
U-Net and the instance-aware network that ship with nanokit."""

from .classical_segmenter import ClassicalSegmenter
from .instance_segmenter import InstanceSegmenter
from .network_segmenter import NetworkSegmenter
from .synth_unet_segmenter import SynthUNetSegmenter

__all__ = [
    "ClassicalSegmenter",
    "InstanceSegmenter",
    "NetworkSegmenter",
    "SynthUNetSegmenter",
]
