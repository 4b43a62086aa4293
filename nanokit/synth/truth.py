"""Truth records: the drawn scale bar and the particles measured from the final mask."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .bars import BarGeometry, BBox
from .scale import LabelText, Scale


@dataclass(frozen=True)
class DrawnScaleBar:
    """A scale bar and its label as drawn, in the pixels of the canvas they were drawn on."""

    label: LabelText
    scale: Scale
    bar: BarGeometry
    label_bbox: BBox
    style: str
    polarity: str  # colour of the bar: "white" or "black"
    label_pos: str  # where the label sits: "above", "below", "beside", "split"

    def record(self, dx: int = 0, dy: int = 0) -> dict[str, Any]:
        """The truth JSON ``scalebar`` object, shifted by (dx, dy) into image pixels."""
        x0, y0, x1, y1 = self.bar.bbox
        lx0, ly0, lx1, ly1 = self.label_bbox
        return {
            "text": self.label.text,
            "value": self.label.value,
            "unit": self.label.unit,
            "value_nm": float(self.scale.value_nm),
            "bar_px": self.bar.bar_px,
            "bar_px_outer": self.bar.bar_px_outer,
            "bar_bbox": [x0 + dx, y0 + dy, x1 + dx, y1 + dy],
            "label_bbox": [lx0 + dx, ly0 + dy, lx1 + dx, ly1 + dy],
            "style": self.style,
            "polarity": self.polarity,
            "bar_kind": self.bar.kind,
            "bar_thickness_px": self.bar.thickness,
            "label_pos": self.label_pos,
        }


def measure_particles(mask: np.ndarray, nm_per_px: float) -> list[dict[str, Any]]:
    """One truth record per instance id in ``mask``.

    Args:
        mask: (H, W) integer instance labels, 0 = background.
        nm_per_px: pixel size for ``ecd_nm``.

    Returns:
        Records sorted by id: centre (cx, cy; px, x right, y down), area_px, area-equivalent
        diameter in px and nm, and whether the particle touches the image border.
    """
    w = mask.shape[1]
    flat = mask.ravel()
    pixels = np.flatnonzero(flat)
    ids = flat[pixels].astype(np.int64)
    if ids.size == 0:
        return []
    ys, xs = np.divmod(pixels, w)
    area = np.bincount(ids)
    sx = np.bincount(ids, weights=xs)
    sy = np.bincount(ids, weights=ys)
    border = np.zeros(area.size, bool)
    border[np.concatenate([mask[0], mask[-1], mask[:, 0], mask[:, -1]]).astype(np.int64)] = True
    records = []
    for i in np.flatnonzero(area[1:]) + 1:
        ecd = float(np.sqrt(4.0 * area[i] / np.pi))
        records.append(
            {
                "id": int(i),
                "cx": round(float(sx[i] / area[i]), 3),
                "cy": round(float(sy[i] / area[i]), 3),
                "area_px": int(area[i]),
                "ecd_px": round(ecd, 4),
                "ecd_nm": round(ecd * nm_per_px, 4),
                "touches_border": bool(border[i]),
            }
        )
    return records
