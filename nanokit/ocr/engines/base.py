"""The interface every OCR engine implements: a label crop in, text with box and confidence out."""

from __future__ import annotations

import importlib.util
from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

from ...errors import NanokitError


@dataclass(frozen=True)
class OcrResult:
    """One read of a crop.

    Attributes:
        text: the recognised text, as the engine gave it (unit normalisation happens later).
        box: ``[x0, y0, x1, y1]`` of the text inside the crop, in px (the whole crop if unknown).
        confidence: the engine's score in [0, 1].
    """

    text: str
    box: tuple[int, int, int, int]
    confidence: float


class BaseOCREngine(ABC):
    """A text recogniser. Subclasses import their library lazily, in :meth:`_load`.

    Attributes:
        name: the short name used on the command line and in records (``rapidocr``).
        package: the importable module the engine needs (checked by :meth:`is_available`).
        extra: the pip extra that installs it (:meth:`install_hint`).
        reads_micro: whether the engine can output µ/μ; where it cannot, a ``pm`` it reads may be
            a misread ``µm`` (see :func:`nanokit.ocr.units.parse_scale_label`).
    """

    name: str = ""
    package: str = ""
    extra: str = ""
    reads_micro: bool = False

    def __init__(self) -> None:
        self._loaded = False

    @classmethod
    def is_available(cls) -> bool:
        """Whether the engine's library is installed (no import happens)."""
        return bool(cls.package) and importlib.util.find_spec(cls.package) is not None

    @classmethod
    def install_hint(cls) -> str:
        """The command that installs the engine's library."""
        return f"pip install 'nanokit[{cls.extra}]'"

    def close(self) -> None:  # noqa: B027 - an optional hook, nothing to release by default
        """Release what the engine holds outside this process (a worker, ...)."""

    def read(self, crop: np.ndarray, allowlist: str | None = None) -> OcrResult:
        """Recognise the text of ``crop`` ((H, W) uint8 grey or (H, W, 3) uint8 RGB).

        Args:
            crop: the image region holding one line of text.
            allowlist: characters the engine may output, where it supports restricting them.

        Raises:
            NanokitError: ``crop`` is not a non-empty uint8 grey or RGB image.
            MissingExtraError: the engine's library is not installed.
        """
        if not (
            isinstance(crop, np.ndarray)
            and crop.dtype == np.uint8
            and (crop.ndim == 2 or (crop.ndim == 3 and crop.shape[2] == 3))
            and crop.shape[0] > 0
            and crop.shape[1] > 0
        ):
            shape = getattr(crop, "shape", None)
            dtype = getattr(crop, "dtype", type(crop).__name__)
            raise NanokitError(
                f"{self.name or type(self).__name__}: a crop must be (H, W) or (H, W, 3) uint8, "
                f"got shape {shape} dtype {dtype}"
            )
        if not self._loaded:
            self._load()
            self._loaded = True
        return self._read(crop, allowlist)

    @abstractmethod
    def _load(self) -> None:
        """Import the library and load models; raise MissingExtraError if not installed."""

    @abstractmethod
    def _read(self, crop: np.ndarray, allowlist: str | None) -> OcrResult:
        """Engine-specific recognition of one crop."""
