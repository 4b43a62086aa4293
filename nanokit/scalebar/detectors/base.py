"""The interface of scale-bar detectors: a grey image and an OCR engine in, a reading out."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from ...ocr.engines.base import BaseOCREngine
from ..reading import ScalebarReading


class BaseScalebarDetector(ABC):
    """Finds the scale bar of one image, reads its label and measures its length."""

    @abstractmethod
    def detect(self, grey: np.ndarray, engine: BaseOCREngine, name: str = "") -> ScalebarReading:
        """Calibrate ``grey`` from its scale bar.

        Args:
            grey: (H, W) uint8 image.
            engine: the OCR engine that reads label crops.
            name: the image name for the reading.

        Returns:
            The reading; ``ok=False`` and ``error`` when the bar or its label cannot be read
            unambiguously.
        """
