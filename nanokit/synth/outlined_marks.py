"""Scale bars and labels given an outline of the other colour, as journal figures stroke them."""

from __future__ import annotations

import numpy as np

from .coloured_marks import ink_share


def outline_marks(
    grey: np.ndarray, box: tuple[int, int, int, int], polarity: str, width: int
) -> np.ndarray:
    """``grey`` with the white or black (``polarity``) marks inside ``box`` (x0, y0, x1, y1,
    exclusive ends) outlined ``width`` px wide in the other ink, outside their anti-aliased
    edges (the marks keep their extent), as drawing software strokes them."""
    import cv2

    out = grey.copy()
    x0, y0, x1, y1 = (max(0, int(v)) for v in box)
    # the marks with their anti-aliased edges: over half ink, and a pixel around
    core = (ink_share(grey, box, polarity) >= 0.5).astype(np.uint8)
    marks = cv2.dilate(core, np.ones((3, 3), np.uint8))
    kernel = np.ones((2 * width + 1, 2 * width + 1), np.uint8)
    outline = cv2.dilate(marks, kernel).astype(bool) & ~marks.astype(bool)
    out[y0:y1, x0:x1][outline] = 0 if polarity == "white" else 255
    return out
