"""Segmentation datasets (registered in ``DATASETS``): mask folders, Labelme, synthetic, and
several of them as one."""

from __future__ import annotations

from .base import BaseSegDataset
from .concat_dataset import SegConcatDataset
from .labelme_dataset import LabelmeDataset
from .mask_folder_dataset import MaskFolderDataset
from .synth_dataset import SynthDataset

__all__ = [
    "BaseSegDataset",
    "LabelmeDataset",
    "MaskFolderDataset",
    "SegConcatDataset",
    "SynthDataset",
]
