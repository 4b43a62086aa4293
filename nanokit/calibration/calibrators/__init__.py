"""Calibrators registered in CALIBRATORS: manual, vendor metadata, scale bar, and the chain
that applies them in SPEC's order."""

from .base import BaseCalibrator
from .chain import CalibrationChain, build_chain, chain_config
from .manual_calibrator import ManualCalibrator
from .metadata_calibrator import MetadataCalibrator
from .scalebar_calibrator import ScalebarCalibrator

__all__ = [
    "BaseCalibrator",
    "CalibrationChain",
    "ManualCalibrator",
    "MetadataCalibrator",
    "ScalebarCalibrator",
    "build_chain",
    "chain_config",
]
