"""Augmentations (registered in ``TRANSFORMS``), applied to image and mask alike."""

from __future__ import annotations

from .base import BaseTransform
from .hsv_jitter import HSVJitter
from .random_crop_pad import RandomCropPad
from .random_degrade import RandomDegrade
from .random_flip import RandomFlip
from .random_rescale import RandomRescale
from .random_translate import RandomTranslate

__all__ = [
    "BaseTransform",
    "HSVJitter",
    "RandomCropPad",
    "RandomDegrade",
    "RandomFlip",
    "RandomRescale",
    "RandomTranslate",
]
