"""OCR engines: importing this package registers them (their libraries load on first use)."""

from .base import BaseOCREngine, OcrResult
from .easyocr import EasyOCREngine
from .paddleocr import PaddleOCREngine
from .rapidocr import RapidOCREngine
from .tesseract import TesseractEngine

__all__ = [
    "BaseOCREngine",
    "EasyOCREngine",
    "OcrResult",
    "PaddleOCREngine",
    "RapidOCREngine",
    "TesseractEngine",
]
