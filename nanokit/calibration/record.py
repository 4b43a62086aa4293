"""The calibration record: SPEC's scale-bar record, one per image."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class CalibrationRecord:
    """How one image was calibrated (or why it was not).

    ``source`` is ``manual``, ``metadata`` or ``scalebar`` (empty when uncalibrated);
    ``nm_per_px`` is None whenever ``ok`` is False. Scale-bar fields are filled whenever a bar
    was read, also when metadata won; ``metadata_nm_per_px`` keeps the value written in the
    file beside it, ``metadata_check`` how it compared with the image, ``decision`` which
    source was used and why, and ``flags`` carries QC flags such as ``metadata and bar
    disagree``.
    """

    image: str
    ok: bool = False
    error: str = ""
    value: float | None = None
    unit: str | None = None
    value_nm: float | None = None
    bar_px: float | None = None
    nm_per_px: float | None = None
    text: str = ""
    engine: str = ""
    source: str = ""
    label_bbox: list[int] | None = None
    #: Calibrated ends of the bar [x0, y0, x1, y1], px (sub-pixel: tick centres, edges).
    bar_endpoints: list[float] | None = None
    confidence: float | None = None
    metadata_nm_per_px: float | None = None
    scalebar_nm_per_px: float | None = None
    #: Rows occupied by the instrument's data bar (y0, y1), to exclude from segmentation.
    databar_rows: tuple[int, int] | None = None
    flags: list[str] = field(default_factory=list)
    #: Instrument whose metadata gave ``metadata_nm_per_px`` (fei, zeiss, tescan, hitachi, jeol).
    metadata_vendor: str = ""
    #: Uncertainty of ``bar_px`` (the sum of both ends' uncertainties), px.
    bar_px_uncertainty: float | None = None
    #: Boxes [x0, y0, x1, y1] of other scale bars and labels that agree with the one read.
    other_marks: list[list[float]] = field(default_factory=list)
    #: The metadata checked against the image: consistent, rescaled, inconsistent, unchecked,
    #: user-set (ImageJ).
    metadata_check: str = ""
    #: Which source gave ``nm_per_px`` and why, in one sentence.
    decision: str = ""

    @property
    def nm_per_px_uncertainty(self) -> float | None:
        """Uncertainty of ``nm_per_px`` (nm/px) where the scale bar gave it: ``bar_px_uncertainty``
        relative to ``bar_px``; None for metadata, a manual value or no calibration."""
        if not self.ok or self.source != "scalebar" or self.nm_per_px is None:
            return None
        if not self.bar_px or self.bar_px_uncertainty is None:
            return None
        return self.nm_per_px * self.bar_px_uncertainty / self.bar_px

    def to_json(self) -> dict[str, Any]:
        """SPEC's scale-bar record as a JSON-ready dict (extra fields at the end)."""
        return asdict(self)
