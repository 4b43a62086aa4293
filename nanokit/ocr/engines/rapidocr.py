"""RapidOCR (PP-OCR models in ONNX) with the models shipped inside the ``rapidocr`` wheel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ...errors import MissingExtraError, NanokitError
from ...registry import OCR_ENGINES
from .._image import to_bgr
from .base import BaseOCREngine, OcrResult


@OCR_ENGINES.register_module()
class RapidOCREngine(BaseOCREngine):
    """Recognition only (no text detection, no angle classifier) on a label crop.

    rapidocr 3.x ships PP-OCRv6 small detection/recognition models in its wheel; any other model
    name in its config would be downloaded at run time, so only the shipped model or a local
    ``model_path`` is used. PP-OCR outputs Greek μ for µ.

    Args:
        model_path: a local PP-OCR recognition ``.onnx``; None = the model shipped in the wheel.
        keys_path: the character dictionary for ``model_path`` when it is not embedded in it.
        threads: onnxruntime intra-op threads (1 is fastest on a busy 2-core CPU; -1 = all).
    """

    name = "rapidocr"
    package = "rapidocr"
    extra = "rapidocr"
    reads_micro = True

    def __init__(
        self, model_path: str | None = None, keys_path: str | None = None, threads: int = 1
    ) -> None:
        super().__init__()
        self.model_path = model_path
        self.keys_path = keys_path
        self.threads = threads
        self._ocr: Any = None

    def _load(self) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise MissingExtraError("rapidocr", self.extra) from exc
        params: dict[str, Any] = {
            "Global.log_level": "error",
            "EngineConfig.onnxruntime.intra_op_num_threads": self.threads,
        }
        for key, path in (
            ("Rec.model_path", self.model_path),
            ("Rec.rec_keys_path", self.keys_path),
        ):
            if path is not None:
                if not Path(path).is_file():
                    raise NanokitError(f"rapidocr: model file not found: {path}")
                params[key] = str(path)
        self._ocr = RapidOCR(params=params)

    def _read(self, crop: np.ndarray, allowlist: str | None) -> OcrResult:
        out = self._ocr(to_bgr(crop), use_det=False, use_cls=False, use_rec=True)
        texts = out.txts or ()
        score = float(np.mean(out.scores)) if texts else 0.0
        return OcrResult(" ".join(texts), (0, 0, crop.shape[1], crop.shape[0]), score)
