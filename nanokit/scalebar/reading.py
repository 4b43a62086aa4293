"""What a scale-bar detector returns: the label read and the bar measured in one image."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
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
        other_marks: boxes [x0, y0, x1, y1] of the other scale bars and their labels that
            agree with the one read (the other panels of a figure of one magnification).
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
    other_marks: list[list[float]] = field(default_factory=list)

    def moved(self, dx: int, dy: int) -> ScalebarReading:
        """The same reading with its positions (label box, bar ends, data-bar rows) ``dx``
        columns right and ``dy`` rows down: a reading of a crop, in the full image's px."""

        def moved_box(box: list | None) -> list | None:
            return None if box is None else [box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy]

        rows = self.databar_rows
        return replace(
            self,
            label_bbox=moved_box(self.label_bbox),
            bar_endpoints=moved_box(self.bar_endpoints),
            databar_rows=None if rows is None else (rows[0] + dy, rows[1] + dy),
            other_marks=[moved_box(box) for box in self.other_marks],
        )

    def to_json(self) -> dict[str, Any]:
        """The reading as a JSON-ready dict."""
        return asdict(self)
