"""Overlays: particle outlines, ids, the scale bar and the frame (inside the data bar and
margins) drawn on the micrograph."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

#: BGR colours of the overlay.
MEASURED = (80, 220, 60)
EXCLUDED = (0, 140, 255)
SCALEBAR = (255, 200, 0)
FRAME = (200, 0, 200)


def draw_overlay(
    grey: np.ndarray,
    labels: np.ndarray,
    particles: list[dict[str, Any]],
    bar_box: list[float] | None = None,
    label_box: list[float] | None = None,
    frames: list[tuple[int, int, int, int]] = (),
) -> np.ndarray:
    """The image with the outline and id of every particle.

    Args:
        grey: (H, W) uint8 image.
        labels: (H, W) int particle labels matching ``particles`` ids.
        particles: dicts with ``particle_id``, ``cx_px``, ``cy_px``, ``touches_border``;
            measured particles are outlined green, excluded ones (cut by the frame: the
            image border, the data bar, a uniform margin) orange.
        bar_box, label_box: ``[x0, y0, x1, y1]`` of the scale bar and its label (cyan boxes).
        frames: ``(top, bottom, left, right)`` of the image proper, inside the data bar and any
            uniform margin, or of each panel of a figure; their sides that are not the image's
            border are drawn magenta.

    Returns:
        (H, W, 3) uint8 BGR image.
    """
    out = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    edge = np.zeros(labels.shape, dtype=bool)
    edge[:-1] |= labels[:-1] != labels[1:]
    edge[1:] |= labels[1:] != labels[:-1]
    edge[:, :-1] |= labels[:, :-1] != labels[:, 1:]
    edge[:, 1:] |= labels[:, 1:] != labels[:, :-1]
    edge &= labels > 0
    excluded = np.zeros(int(labels.max()) + 1, dtype=bool)
    for p in particles:
        excluded[p["particle_id"]] = p["touches_border"]
    cut = excluded[labels]
    out[edge & ~cut] = MEASURED
    out[edge & cut] = EXCLUDED
    scale = max(0.3, min(grey.shape) / 1500)
    for p in particles:
        cv2.putText(
            out,
            str(p["particle_id"]),
            (int(p["cx_px"]) - 4, int(p["cy_px"]) + 4),
            cv2.FONT_HERSHEY_SIMPLEX,
            scale,
            EXCLUDED if p["touches_border"] else MEASURED,
            1,
            cv2.LINE_AA,
        )
    for box in (bar_box, label_box):
        if box is not None:
            x0, y0, x1, y1 = (int(round(v)) for v in box)
            cv2.rectangle(out, (x0 - 2, y0 - 2), (x1 + 2, y1 + 2), SCALEBAR, 2)
    height, width = grey.shape
    for top, bottom, left, right in frames:
        for y in {top - 1, bottom} - {-1, height}:
            cv2.line(out, (left, y), (right - 1, y), FRAME, 1)
        for x in {left - 1, right} - {-1, width}:
            cv2.line(out, (x, top), (x, bottom - 1), FRAME, 1)
    return out
