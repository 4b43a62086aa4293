"""Random translation; uncovered pixels are black in the image and ignored in the mask."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..registry import TRANSFORMS
from .base import BaseTransform, shift_arrays


@TRANSFORMS.register_module()
class RandomTranslate(BaseTransform):
    """Shift image and mask by up to ``max_ratio`` of their width and height.

    Args:
        max_ratio: largest shift as a fraction of the side length.
        prob: probability of shifting at all.
    """

    def __init__(self, max_ratio: float = 0.1, prob: float = 0.5) -> None:
        self.max_ratio = max_ratio
        self.prob = prob

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        if np.random.rand() >= self.prob:
            return results
        h, w = results["gt"].shape
        dx = int(round(np.random.uniform(-self.max_ratio, self.max_ratio) * w))
        dy = int(round(np.random.uniform(-self.max_ratio, self.max_ratio) * h))
        results["img"], results["gt"] = shift_arrays(results["img"], results["gt"], dx, dy)
        return results
