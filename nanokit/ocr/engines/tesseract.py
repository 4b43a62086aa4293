"""Tesseract 5 through ``tesserocr``, with traineddata from the system (e.g. Debian's)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import MissingExtraError, NanokitError
from ...registry import OCR_ENGINES
from .._image import binarise_dark_on_white, to_grey
from .base import BaseOCREngine, OcrResult

#: Where Linux distributions put tessdata (Debian/Ubuntu tesseract 5 and 4, Fedora, source builds).
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)


@OCR_ENGINES.register_module()
class TesseractEngine(BaseOCREngine):
    """One text line (page segmentation mode 7) on a cleaned-up crop.

    tesserocr's wheel carries no language data: ``eng.traineddata`` comes from ``tessdata``,
    ``$TESSDATA_PREFIX`` or the system folders in :data:`TESSDATA_DIRS` (Debian:
    ``apt-get install tesseract-ocr-eng``). The crop is binarised (Otsu), made dark on white,
    scaled to ``text_height`` px text and given a white border. Tesseract's English data has no
    µ: it reads µ as ``u`` or ``p``.

    Args:
        tessdata: folder holding ``<lang>.traineddata``; None = search as above.
        lang: tesseract language code.
        text_height: text height in px after scaling.
    """

    name = "tesseract"
    package = "tesserocr"
    extra = "tesseract"
    reads_micro = False

    def __init__(
        self, tessdata: str | None = None, lang: str = "eng", text_height: int = 64
    ) -> None:
        super().__init__()
        self.tessdata = tessdata
        self.lang = lang
        self.text_height = text_height
        self._api: Any = None

    def _load(self) -> None:
        try:
            import tesserocr
        except ImportError as exc:
            raise MissingExtraError("tesserocr", self.extra) from exc
        tessdata = self._find_tessdata()
        self._api = tesserocr.PyTessBaseAPI(
            path=str(tessdata), lang=self.lang, psm=tesserocr.PSM.SINGLE_LINE
        )

    def _find_tessdata(self) -> Path:
        if self.tessdata is not None:
            candidates = [self.tessdata]
        else:
            candidates = [p for p in (os.environ.get("TESSDATA_PREFIX"), *TESSDATA_DIRS) if p]
        for folder in candidates:
            if (Path(folder) / f"{self.lang}.traineddata").is_file():
                return Path(folder)
        raise NanokitError(
            f"tesseract: {self.lang}.traineddata not found in {', '.join(candidates)} "
            f"(Debian: apt-get install tesseract-ocr-{self.lang}, or pass tessdata=DIR)"
        )

    def _read(self, crop: np.ndarray, allowlist: str | None) -> OcrResult:
        from PIL import Image

        page = binarise_dark_on_white(to_grey(crop), self.text_height, border=self.text_height // 4)
        self._api.SetVariable("tessedit_char_whitelist", allowlist or "")
        self._api.SetImage(Image.fromarray(page))
        text = self._api.GetUTF8Text().strip()
        return OcrResult(text, (0, 0, crop.shape[1], crop.shape[0]), self._api.MeanTextConf() / 100)
