"""The default segmenter: no training, no weights; denoise, threshold, clean up."""

from __future__ import annotations

import cv2
import numpy as np
from scipy import ndimage

from ..registry import SEGMENTORS


@SEGMENTORS.register_module()
class ClassicalSegmenter:
    """Grey image -> particle mask by smoothing, a global or local threshold and morphology.

    Args:
        denoise_sigma: Gaussian smoothing (px) before thresholding; 0 turns it off.
        method: ``"otsu"`` (one threshold for the image) or ``"local"`` (Gaussian-weighted
            local mean of ``block_size`` px, minus ``offset`` grey levels).
        block_size: window (px, odd) of the local threshold.
        offset: grey levels the local threshold sits above the local mean.
        polarity: ``"bright"`` (SEM: particles brighter than the substrate), ``"dark"`` (TEM
            bright field) or ``"auto"``: the class that covers most of the image frame is
            the background.
        background_sigma: when set, a Gaussian background of this width (px) is subtracted
            first, which evens out shading across the field of view.
        open_radius: radius (px) of the opening that removes specks and thin bridges.
        fill_holes: fill enclosed holes (dark particle centres in SEM edge contrast).
    """

    def __init__(
        self,
        denoise_sigma: float = 1.5,
        method: str = "otsu",
        block_size: int = 101,
        offset: float = 0.0,
        polarity: str = "auto",
        background_sigma: float | None = None,
        open_radius: int = 1,
        fill_holes: bool = True,
    ) -> None:
        if method not in ("otsu", "local"):
            raise ValueError(f"method must be 'otsu' or 'local', got {method!r}")
        if polarity not in ("auto", "bright", "dark"):
            raise ValueError(f"polarity must be 'auto', 'bright' or 'dark', got {polarity!r}")
        self.denoise_sigma = denoise_sigma
        self.method = method
        self.block_size = block_size | 1
        self.offset = offset
        self.polarity = polarity
        self.background_sigma = background_sigma
        self.open_radius = open_radius
        self.fill_holes = fill_holes

    def predict_mask(self, image: np.ndarray, rows: tuple[int, int] | None = None) -> np.ndarray:
        """Segment one image.

        Args:
            image: (H, W) uint8 grey image.
            rows: ``[top, bottom)`` rows to segment (outside the data bar); the rest stays
                background.

        Returns:
            (H, W) bool particle mask.
        """
        top, bottom = rows if rows is not None else (0, image.shape[0])
        grey = image[top:bottom].astype(np.float32)
        if self.background_sigma:
            grey = grey - cv2.GaussianBlur(grey, (0, 0), self.background_sigma)
        if self.denoise_sigma > 0:
            grey = cv2.GaussianBlur(grey, (0, 0), self.denoise_sigma)
        grey = cv2.normalize(grey, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
        bright = self._threshold(grey)
        if self.polarity == "dark" or (self.polarity == "auto" and _frame_fraction(bright) > 0.5):
            bright = ~bright if self.method == "otsu" else self._threshold(255 - grey)
        mask = self._clean(bright)
        full = np.zeros(image.shape[:2], dtype=bool)
        full[top:bottom] = mask
        return full

    def _threshold(self, grey: np.ndarray) -> np.ndarray:
        """Pixels above the threshold (bool)."""
        if self.method == "otsu":
            _, out = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        else:
            out = cv2.adaptiveThreshold(
                grey,
                1,
                cv2.ADAPTIVE_THRESH_GAUSSIAN_C,
                cv2.THRESH_BINARY,
                self.block_size,
                -self.offset,
            )
        return out.astype(bool)

    def _clean(self, mask: np.ndarray) -> np.ndarray:
        """Opening against specks and bridges, then hole filling."""
        if self.open_radius > 0:
            size = 2 * self.open_radius + 1
            kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
            mask = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, kernel).astype(bool)
        if self.fill_holes:
            mask = ndimage.binary_fill_holes(mask)
        return mask


def _frame_fraction(mask: np.ndarray, width: int = 3) -> float:
    """Fraction of the ``width``-px frame around the image that is set in ``mask``."""
    frame = np.ones(mask.shape, dtype=bool)
    frame[width:-width, width:-width] = False
    return float(mask[frame].mean())
