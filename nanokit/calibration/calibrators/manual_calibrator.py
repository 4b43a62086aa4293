"""Calibration given by the user: one pixel size for every image, or per image from a CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...registry import CALIBRATORS
from ..manual import check_scale, lookup_scale, read_scale_csv
from ..record import CalibrationRecord
from .base import BaseCalibrator


@CALIBRATORS.register_module()
class ManualCalibrator(BaseCalibrator):
    """``--scale`` (nm per px) or a table ``image,nm_per_px``; the scale wins over the table.

    Args:
        scale: nm per px for every image.
        csv: path of a CSV with one pixel size per image (name or stem).
        scales: the same table already read (image name or stem -> nm per px).
    """

    source = "manual"
    needs_pixels = False

    def __init__(
        self,
        scale: float | None = None,
        csv: str | None = None,
        scales: dict[str, float] | None = None,
    ) -> None:
        self.scale = None if scale is None else check_scale(scale)
        self.scales = {**(read_scale_csv(csv) if csv else {}), **(scales or {})}

    def lookup(self, path: str | Path) -> float | None:
        """The user's pixel size for ``path`` (name or stem), or None."""
        return self.scale if self.scale is not None else lookup_scale(self.scales, path)

    def calibrate(self, path: str | Path, grey: np.ndarray | None = None) -> CalibrationRecord:
        name = Path(path).name
        value = self.lookup(path)
        if value is None:
            return CalibrationRecord(image=name, error="no manual pixel size for this image")
        return CalibrationRecord(
            image=name,
            ok=True,
            nm_per_px=value,
            source=self.source,
            decision="manual: given by the user",
        )
