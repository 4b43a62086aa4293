"""Calibrators registered in CALIBRATORS: manual, vendor metadata, scale bar."""

from .base import BaseCalibrator
from .manual_calibrator import ManualCalibrator
from .metadata_calibrator import MetadataCalibrator
from .scalebar_calibrator import ScalebarCalibrator

__all__ = ["BaseCalibrator", "ManualCalibrator", "MetadataCalibrator", "ScalebarCalibrator"]
