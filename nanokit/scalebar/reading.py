"""What a scale-bar detector returns: the label read and the bar measured in one image."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class ScalebarReading:
    """One image's scale bar: ``nm_per_px = value_nm / bar_px`` when ``ok``.

    Fields are filled as far as the reading got (a label read next to a bar too blurred to
    measure keeps its value, unit and text); ``error`` says why ``ok`` is False.

    Attributes:
        image: the image name.
        ok: whether ``nm_per_px`` can be used.
        error: why not (empty when ``ok``).
        value, unit, value_nm: the label (unit one of ``pm, A, nm, um, mm``).
        bar_px: the bar's calibrated length, px; ``bar_px_uncertainty`` its uncertainty.
        nm_per_px: the pixel size, None unless ``ok``.
        text: the OCR text of the label; ``engine`` the engine that read it; ``confidence``
            the engine's score.
        label_bbox: the label's box [x0, y0, x1, y1], px.
        bar_endpoints: the calibrated ends of the bar [x0, y0, x1, y1], px (sub-pixel).
        databar_rows: rows of the instrument's data bar (y0, y1), if one was found.
    """

    image: str = ""
    ok: bool = False
    error: str = ""
    value: float | None = None
    unit: str | None = None
    value_nm: float | None = None
    bar_px: float | None = None
    nm_per_px: float | None = None
    text: str = ""
    engine: str = ""
    label_bbox: list[int] | None = None
    bar_endpoints: list[float] | None = None
    confidence: float | None = None
    databar_rows: tuple[int, int] | None = None
    bar_px_uncertainty: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The reading as a JSON-ready dict."""
        return asdict(self)
