"""Crop conversions shared by the OCR engines (pure numpy / OpenCV, no OCR library)."""

from __future__ import annotations

import numpy as np


def to_grey(crop: np.ndarray) -> np.ndarray:
    """(H, W) uint8 grey from an (H, W) grey or (H, W, 3) RGB uint8 crop."""
    if crop.ndim == 2:
        return crop
    import cv2

    return cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)


def to_bgr(crop: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 BGR (OpenCV order) from an (H, W) grey or (H, W, 3) RGB uint8 crop."""
    if crop.ndim == 2:
        return np.ascontiguousarray(np.repeat(crop[:, :, None], 3, axis=2))
    return np.ascontiguousarray(crop[:, :, ::-1])


def pad_with_background(grey: np.ndarray, border_frac: float = 0.25) -> np.ndarray:
    """``grey`` with a border of its background grey (the median of its edge pixels).

    Recognisers misread glyphs that touch the crop edge; the border is ``border_frac`` of the
    crop height (at least 4 px) wide.

    Args:
        grey: (H, W) uint8 crop holding one line of text.
        border_frac: border width as a fraction of H.

    Returns:
        (H + 2b, W + 2b) uint8 image.
    """
    import cv2

    edge = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    b = max(4, round(grey.shape[0] * border_frac))
    background = int(np.median(edge))
    return cv2.copyMakeBorder(grey, b, b, b, b, cv2.BORDER_CONSTANT, value=background)


def binarise_dark_on_white(grey: np.ndarray, text_height: int, border: int) -> np.ndarray:
    """Dark text on a white page, scaled so the text is about ``text_height`` px high.

    Otsu threshold; the minority class is taken as text. The text height is the row extent of
    the text pixels; a ``border`` of white (px, after scaling) is added around the result.

    Args:
        grey: (H, W) uint8 crop holding one line of text.
        text_height: wanted text height in px.
        border: white margin in px.

    Returns:
        (H', W') uint8 image, 0 = text, 255 = background.
    """
    import cv2

    _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if np.count_nonzero(binary) < binary.size / 2:  # mostly dark: light text on dark ground
        binary = 255 - binary
        grey = 255 - grey
    rows = np.flatnonzero((binary == 0).any(axis=1))
    height = rows[-1] - rows[0] + 1 if rows.size else grey.shape[0]
    scale = text_height / max(height, 1)
    if abs(scale - 1) > 0.05:
        interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=interp)
        _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return cv2.copyMakeBorder(
        binary, border, border, border, border, cv2.BORDER_CONSTANT, value=255
    )
