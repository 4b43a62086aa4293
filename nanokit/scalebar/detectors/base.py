"""The interface of scale-bar detectors: a grey image and an OCR engine in, a record out."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from ...calibration.record import CalibrationRecord
from ...ocr.engines.base import BaseOCREngine


class BaseScalebarDetector(ABC):
    """Finds the scale bar of one image, reads its label and measures its length."""

    @abstractmethod
    def detect(self, grey: np.ndarray, engine: BaseOCREngine, name: str = "") -> CalibrationRecord:
        """Calibrate ``grey`` from its scale bar.

        Args:
            grey: (H, W) uint8 image.
            engine: the OCR engine that reads label crops.
            name: the image name for the record.

        Returns:
            A record with ``source="scalebar"``; ``ok=False`` and ``error`` when the bar or its
            label cannot be read unambiguously.
        """
