"""Calibration from the instrument's own record: vendor TIFF tags and .txt sidecars."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...registry import CALIBRATORS
from ..metadata import read_pixel_size
from ..record import CalibrationRecord
from .base import BaseCalibrator


@CALIBRATORS.register_module()
class MetadataCalibrator(BaseCalibrator):
    """FEI/Thermo, Zeiss and Tescan TIFF tags; Hitachi and JEOL ``.txt`` sidecars."""

    source = "metadata"

    def calibrate(self, path: str | Path, grey: np.ndarray | None = None) -> CalibrationRecord:
        name = Path(path).name
        found = read_pixel_size(path)
        if found is None:
            return CalibrationRecord(image=name, error="no pixel size in the file's metadata")
        return CalibrationRecord(
            image=name,
            ok=True,
            nm_per_px=found.nm_per_px,
            source=self.source,
            metadata_nm_per_px=found.nm_per_px,
            databar_rows=found.databar_rows,
            metadata_vendor=found.vendor,
        )
