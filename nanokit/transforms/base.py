"""The transform interface: a callable on a results dict holding an image and its mask."""

from __future__ import annotations

from typing import Any

import numpy as np

#: Mask value of pixels that count neither in the loss nor in the metrics (padding, data bar).
IGNORE_INDEX = 255


class BaseTransform:
    """Maps ``results`` to ``results``; geometric transforms move image and mask together.

    ``results["img"]`` is an (H, W, 3) float32 image in [0, 1]; ``results["gt"]`` is an
    (H, W) uint8 mask (0 background, 1 particle, 255 ignore). Randomness comes from
    ``numpy.random``, which the Runner seeds (per worker too).
    """

    def __call__(self, results: dict[str, Any]) -> dict[str, Any]:
        return self.transform(results)

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


def shift_arrays(
    img: np.ndarray, gt: np.ndarray, dx: int, dy: int, out_shape: tuple[int, int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Place ``img``/``gt`` at offset (dx, dy) in a canvas of ``out_shape`` (default: same).

    Uncovered image pixels become 0 and uncovered mask pixels :data:`IGNORE_INDEX`.
    """
    h, w = img.shape[:2]
    out_h, out_w = out_shape if out_shape is not None else (h, w)
    new_img = np.zeros((out_h, out_w, img.shape[2]), dtype=img.dtype)
    new_gt = np.full((out_h, out_w), IGNORE_INDEX, dtype=gt.dtype)
    sy0, sx0 = max(0, -dy), max(0, -dx)
    ty0, tx0 = max(0, dy), max(0, dx)
    ch = min(h - sy0, out_h - ty0)
    cw = min(w - sx0, out_w - tx0)
    if ch > 0 and cw > 0:
        new_img[ty0 : ty0 + ch, tx0 : tx0 + cw] = img[sy0 : sy0 + ch, sx0 : sx0 + cw]
        new_gt[ty0 : ty0 + ch, tx0 : tx0 + cw] = gt[sy0 : sy0 + ch, sx0 : sx0 + cw]
    return new_img, new_gt
