"""Imaging degradations that make clean images look like real micrographs and figure crops."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..registry import TRANSFORMS
from .base import BaseTransform


@TRANSFORMS.register_module()
class RandomDegrade(BaseTransform):
    """Random blur, contrast/gamma change, Gaussian noise and JPEG re-compression; mask kept.

    Each degradation is applied with probability ``prob``, in the order a micrograph meets them:
    defocus blur, detector response (contrast, gamma), shot noise, then the JPEG of a published
    figure. Works on (H, W, 3) float images in [0, 1].

    Args:
        prob: probability of each degradation.
        blur_sigma: (min, max) Gaussian blur sigma (px).
        contrast: (min, max) factor applied around the image mean.
        gamma: (min, max) gamma exponent.
        noise_std: (min, max) standard deviation of the added noise (in [0, 1] units).
        jpeg_quality: (min, max) JPEG quality.
    """

    def __init__(
        self,
        prob: float = 0.3,
        blur_sigma: Sequence[float] = (0.5, 2.0),
        contrast: Sequence[float] = (0.5, 1.5),
        gamma: Sequence[float] = (0.7, 1.5),
        noise_std: Sequence[float] = (0.01, 0.08),
        jpeg_quality: Sequence[int] = (30, 90),
    ) -> None:
        self.prob = prob
        self.blur_sigma = tuple(blur_sigma)
        self.contrast = tuple(contrast)
        self.gamma = tuple(gamma)
        self.noise_std = tuple(noise_std)
        self.jpeg_quality = tuple(jpeg_quality)

    def _draw(self) -> bool:
        return bool(np.random.random() < self.prob)

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        import cv2

        img = results["img"].astype(np.float32)
        if self._draw():
            img = cv2.GaussianBlur(img, (0, 0), float(np.random.uniform(*self.blur_sigma)))
        if self._draw():
            mean = float(img.mean())
            img = (img - mean) * np.random.uniform(*self.contrast) + mean
            img = np.clip(img, 0.0, 1.0) ** np.random.uniform(*self.gamma)
        if self._draw():
            std = np.random.uniform(*self.noise_std)
            img = img + np.random.normal(0.0, std, img.shape[:2])[..., None].astype(np.float32)
        img = np.clip(img, 0.0, 1.0)
        if self._draw():
            quality = int(np.random.randint(self.jpeg_quality[0], self.jpeg_quality[1] + 1))
            grey = (img[..., 0] * 255 + 0.5).astype(np.uint8)
            ok, buf = cv2.imencode(".jpg", grey, [cv2.IMWRITE_JPEG_QUALITY, quality])
            if ok:
                decoded = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE).astype(np.float32) / 255.0
                img = np.repeat(decoded[..., None], 3, axis=2)
        results["img"] = np.ascontiguousarray(img, dtype=np.float32)
        return results
