"""Calibration from the instrument's own record: vendor TIFF tags, .txt sidecars and
microscope formats, checked against the image they describe."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...errors import NanokitError
from ...registry import CALIBRATORS
from ..metadata import read_pixel_size
from ..record import CalibrationRecord
from .base import BaseCalibrator


@CALIBRATORS.register_module()
class MetadataCalibrator(BaseCalibrator):
    """FEI/Thermo, Zeiss and Tescan TIFF tags; Hitachi and JEOL ``.txt`` sidecars; Gatan,
    TIA, Velox and MRC files. A value that fails its check against ``grey`` (a resized image)
    is rescaled where the metadata allows, and flagged."""

    source = "metadata"

    def calibrate(self, path: str | Path, grey: np.ndarray | None = None) -> CalibrationRecord:
        name = Path(path).name
        try:
            found = read_pixel_size(path, None if grey is None else grey.shape)
        except NanokitError as exc:
            return CalibrationRecord(image=name, error=str(exc))
        if found is None:
            return CalibrationRecord(image=name, error="no pixel size in the file's metadata")
        check = found.check
        record = CalibrationRecord(
            image=name,
            ok=True,
            nm_per_px=check.nm_per_px,
            source=self.source,
            metadata_nm_per_px=found.stored_nm_per_px,
            databar_rows=found.databar_rows,
            metadata_vendor=found.vendor,
            metadata_check=check.status,
        )
        if check.failed:
            record.flags.append(f"metadata {check.status}: {check.note}")
        return record
