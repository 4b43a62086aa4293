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


def ink_share(grey: np.ndarray, box: tuple[int, int, int, int], polarity: str) -> np.ndarray:
    """(h, w) share of white or black (``polarity``) ink of each pixel of ``box`` (x0, y0, x1,
    y1, exclusive ends) of ``grey``: 0 at the box's ground (the median of its pixels on the
    ground's side), 1 at the ink. Pixels over half ink are the marks, and their neighbours
    their anti-aliased edges; any other pixel is ground (its noise included): share 0."""
    import cv2

    x0, y0, x1, y1 = (max(0, int(v)) for v in box)
    ink = 255.0 if polarity == "white" else 0.0
    from_ink = np.abs(grey[y0:y1, x0:x1].astype(np.float64) - ink)
    ground = float(np.median(from_ink[from_ink >= np.median(from_ink) / 2]))
    if ground <= 0:
        return np.zeros(from_ink.shape)
    share = np.clip(1.0 - from_ink / ground, 0.0, 1.0)
    marks = share >= 0.5
    edges = cv2.dilate(marks.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    share[~edges] = 0.0
    return share


def recolour_marks(
    grey: np.ndarray,
    box: tuple[int, int, int, int],
    polarity: str,
    colour: tuple[int, int, int],
) -> np.ndarray:
    """(H, W, 3) uint8 RGB of ``grey`` with the white or black (``polarity``) marks inside
    ``box`` (x0, y0, x1, y1, exclusive ends) drawn in ``colour`` instead, each pixel by its
    :func:`ink_share`."""
    rgb = np.repeat(grey[..., None], 3, axis=2).astype(np.float64)
    x0, y0, x1, y1 = (max(0, int(v)) for v in box)
    ink = 255.0 if polarity == "white" else 0.0
    share = ink_share(grey, box, polarity)
    rgb[y0:y1, x0:x1] += share[..., None] * (np.asarray(colour, np.float64) - ink)
    return np.clip(np.round(rgb), 0, 255).astype(np.uint8)
