"""Segmenters for measurement: the classical default and trained networks (tiled)."""

from .classical_segmenter import ClassicalSegmenter
from .network_segmenter import NetworkSegmenter

__all__ = ["ClassicalSegmenter", "NetworkSegmenter"]
