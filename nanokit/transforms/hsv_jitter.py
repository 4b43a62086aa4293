"""Colour jitter in HSV space: hue shift, saturation and value (brightness) scaling."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..registry import TRANSFORMS
from .base import BaseTransform


@TRANSFORMS.register_module()
class HSVJitter(BaseTransform):
    """Shift hue by up to ``hue`` of a turn and scale saturation and value; the mask is kept.

    On grey micrographs (three equal channels) hue and saturation change nothing and the
    value factor scales the brightness.

    Args:
        hue: largest hue shift as a fraction of the colour circle (0.1 = +-36 degrees).
        saturation: (min, max) saturation factor.
        value: (min, max) value factor; results are clipped to [0, 1].
    """

    def __init__(
        self,
        hue: float = 0.1,
        saturation: Sequence[float] = (0.3, 1.7),
        value: Sequence[float] = (0.7, 1.3),
    ) -> None:
        self.hue = hue
        self.saturation = tuple(saturation)
        self.value = tuple(value)

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        import cv2

        dh = np.random.uniform(-self.hue, self.hue) * 360.0
        fs = np.random.uniform(*self.saturation)
        fv = np.random.uniform(*self.value)
        hsv = cv2.cvtColor(results["img"].astype(np.float32), cv2.COLOR_RGB2HSV)
        hsv[..., 0] = np.mod(hsv[..., 0] + dh, 360.0)
        hsv[..., 1] = np.clip(hsv[..., 1] * fs, 0.0, 1.0)
        hsv[..., 2] = np.clip(hsv[..., 2] * fv, 0.0, 1.0)
        results["img"] = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
        return results
