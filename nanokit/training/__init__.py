"""Training machinery for mmengine's Runner: hooks (registered in ``HOOKS``) and batching."""

from __future__ import annotations

from .backbone_unfreeze_hook import BackboneUnfreezeHook
from .curve_plot_hook import CurvePlotHook
from .data_preprocessor import SegDataPreprocessor
from .safetensors_export_hook import SafetensorsExportHook

__all__ = ["BackboneUnfreezeHook", "CurvePlotHook", "SafetensorsExportHook", "SegDataPreprocessor"]
