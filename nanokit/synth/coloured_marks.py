"""Scale bars and labels redrawn in colour, as journal figures draw them over grey micrographs."""

from __future__ import annotations

import numpy as np

#: Colours journal figures draw scale bars in (RGB).
MARK_COLOURS = {
    "yellow": (255, 255, 0),
    "red": (255, 0, 0),
    "green": (0, 255, 0),
    "cyan": (0, 255, 255),
    "orange": (255, 128, 0),
    "blue": (0, 0, 255),
}


def recolour_marks(
    grey: np.ndarray,
    box: tuple[int, int, int, int],
    polarity: str,
    colour: tuple[int, int, int],
) -> np.ndarray:
    """(H, W, 3) uint8 RGB of ``grey`` with the white or black (``polarity``) marks inside
    ``box`` (x0, y0, x1, y1, exclusive ends) drawn in ``colour`` instead.

    A pixel of the box is ink over the box's ground (the median of its pixels on the ground's
    side) by the share its grey says; that share becomes ``colour``. Pixels over half ink are
    the marks, and their neighbours their anti-aliased edges; any other pixel is ground, its
    noise included, and stays grey.
    """
    import cv2

    rgb = np.repeat(grey[..., None], 3, axis=2).astype(np.float64)
    x0, y0, x1, y1 = (max(0, int(v)) for v in box)
    ink = 255.0 if polarity == "white" else 0.0
    from_ink = np.abs(rgb[y0:y1, x0:x1, 0] - ink)
    ground = float(np.median(from_ink[from_ink >= np.median(from_ink) / 2]))
    if ground <= 0:
        return np.round(rgb).astype(np.uint8)
    share = np.clip(1.0 - from_ink / ground, 0.0, 1.0)
    marks = share >= 0.5
    edges = cv2.dilate(marks.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    share[~edges] = 0.0
    rgb[y0:y1, x0:x1] += share[..., None] * (np.asarray(colour, np.float64) - ink)
    return np.clip(np.round(rgb), 0, 255).astype(np.uint8)
