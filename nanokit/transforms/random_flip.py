"""Random horizontal (or vertical) flip."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import NanokitError
from ..registry import TRANSFORMS
from .base import BaseTransform


@TRANSFORMS.register_module()
class RandomFlip(BaseTransform):
    """Flip image and mask with probability ``prob``.

    Args:
        prob: flip probability.
        direction: ``"horizontal"`` (left-right) or ``"vertical"`` (up-down).
    """

    def __init__(self, prob: float = 0.5, direction: str = "horizontal") -> None:
        if direction not in ("horizontal", "vertical"):
            raise NanokitError(
                f"RandomFlip direction must be horizontal or vertical: {direction!r}"
            )
        self.prob = prob
        self.direction = direction

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        if np.random.rand() < self.prob:
            axis = 1 if self.direction == "horizontal" else 0
            results["img"] = np.ascontiguousarray(np.flip(results["img"], axis=axis))
            results["gt"] = np.ascontiguousarray(np.flip(results["gt"], axis=axis))
        return results
