"""The interface of calibrators: one image (path and pixels) in, one calibration record out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np

from ..record import CalibrationRecord


class BaseCalibrator(ABC):
    """A source of the pixel size (``source`` names it in the record)."""

    source: str = ""
    #: Whether :meth:`calibrate` uses the pixels (the chain reads them only when needed).
    needs_pixels: bool = True

    @abstractmethod
    def calibrate(self, path: str | Path, grey: np.ndarray | None = None) -> CalibrationRecord:
        """The record for one image; ``ok=False`` with ``error`` when this source has nothing.

        Args:
            path: the image file (metadata and sidecars are read from it).
            grey: (H, W) uint8 pixels, when the calibrator needs them.
        """
