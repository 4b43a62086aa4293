"""Scale-bar detectors registered in SCALEBAR_DETECTORS."""

from .base import BaseScalebarDetector
from .paper_scalebar_detector import PaperScalebarDetector

__all__ = ["BaseScalebarDetector", "PaperScalebarDetector"]
