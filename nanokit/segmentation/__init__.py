"""Segmenters for measurement (registry ``SEGMENTERS``, interface :class:`BaseSegmenter`): the
classical one, trained networks (tiled), and the small U-Net and the instance-aware network that
ship with nanokit."""

from .base import BaseSegmenter
from .classical_segmenter import ClassicalSegmenter
from .instance_segmenter import InstanceSegmenter
from .network_segmenter import NetworkSegmenter
from .synth_unet_segmenter import SynthUNetSegmenter

__all__ = [
    "BaseSegmenter",
    "ClassicalSegmenter",
    "InstanceSegmenter",
    "NetworkSegmenter",
    "SynthUNetSegmenter",
]
