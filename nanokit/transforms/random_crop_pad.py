"""Random crop (or pad) to the training size."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..registry import TRANSFORMS
from .base import BaseTransform, shift_arrays


@TRANSFORMS.register_module()
class RandomCropPad(BaseTransform):
    """Cut a random ``size`` window; sides shorter than ``size`` are padded at a random offset.

    Padding is black in the image and :data:`IGNORE_INDEX` in the mask.

    Args:
        size: (height, width) of the output in px.
    """

    def __init__(self, size: Sequence[int] = (512, 512)) -> None:
        self.size = (int(size[0]), int(size[1]))

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        h, w = results["gt"].shape
        out_h, out_w = self.size
        # offset of the image's origin inside the output window (negative = crop)
        dy = (
            -np.random.randint(0, h - out_h + 1)
            if h >= out_h
            else np.random.randint(0, out_h - h + 1)
        )
        dx = (
            -np.random.randint(0, w - out_w + 1)
            if w >= out_w
            else np.random.randint(0, out_w - w + 1)
        )
        results["img"], results["gt"] = shift_arrays(
            results["img"], results["gt"], int(dx), int(dy), (out_h, out_w)
        )
        return results
