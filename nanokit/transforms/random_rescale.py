"""Random scale and aspect-ratio change (the paper's 0.25-2x rescale with 0.3 jitter)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..registry import TRANSFORMS
from .base import BaseTransform


@TRANSFORMS.register_module()
class RandomRescale(BaseTransform):
    """Resize by a random factor, with a random aspect-ratio change.

    The scale ``s`` is drawn from ``scale_range`` and the aspect factor ``a`` from
    [1 - aspect_jitter, 1 + aspect_jitter]; the width is scaled by s * sqrt(a) and the height
    by s / sqrt(a). The image is interpolated bilinearly, the mask by nearest neighbour.

    Args:
        scale_range: (min, max) scale factor.
        aspect_jitter: maximum relative change of the aspect ratio, in [0, 1).
        min_size: smallest side (px) the result may have.
    """

    def __init__(
        self,
        scale_range: Sequence[float] = (0.25, 2.0),
        aspect_jitter: float = 0.3,
        min_size: int = 8,
    ) -> None:
        self.scale_range = tuple(scale_range)
        self.aspect_jitter = aspect_jitter
        self.min_size = min_size

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        import cv2

        scale = np.random.uniform(*self.scale_range)
        aspect = np.random.uniform(1 - self.aspect_jitter, 1 + self.aspect_jitter)
        h, w = results["gt"].shape
        new_w = max(self.min_size, round(w * scale * np.sqrt(aspect)))
        new_h = max(self.min_size, round(h * scale / np.sqrt(aspect)))
        results["img"] = cv2.resize(results["img"], (new_w, new_h), interpolation=cv2.INTER_LINEAR)
        results["gt"] = cv2.resize(results["gt"], (new_w, new_h), interpolation=cv2.INTER_NEAREST)
        return results
