"""Calibration from the scale bar drawn in the image (label OCR + bar length)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ...ocr.engines.base import BaseOCREngine
from ...registry import CALIBRATORS
from ..record import CalibrationRecord
from .base import BaseCalibrator


@CALIBRATORS.register_module()
class ScalebarCalibrator(BaseCalibrator):
    """Reads the scale bar with a SCALEBAR_DETECTORS detector and an OCR engine.

    Args:
        engine: OCR engine, its name or config (None: ``nanokit.ocr.DEFAULT_ENGINE``).
        detector: SCALEBAR_DETECTORS config (None: ``PaperScalebarDetector``).
    """

    source = "scalebar"

    def __init__(
        self,
        engine: BaseOCREngine | str | dict[str, Any] | None = None,
        detector: dict[str, Any] | None = None,
    ) -> None:
        from ...ocr import build_engine
        from ...registry import SCALEBAR_DETECTORS, build

        self.engine = build_engine(engine)
        self.detector = build(SCALEBAR_DETECTORS, detector or {"type": "PaperScalebarDetector"})

    def calibrate(self, path: str | Path, grey: np.ndarray | None = None) -> CalibrationRecord:
        from ...scalebar.reader import read_scalebar

        name = Path(path).name
        if grey is None:
            return CalibrationRecord(image=name, source=self.source, error="no pixels given")
        reading = read_scalebar(grey, self.engine, self.detector, name=name)
        return CalibrationRecord(
            **reading.to_json(), source=self.source, scalebar_nm_per_px=reading.nm_per_px
        )
