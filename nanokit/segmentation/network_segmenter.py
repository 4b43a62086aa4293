"""A trained network as a segmenter, run through ``nanokit.inference`` in overlapping tiles."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .overlays import Box, drop_overlays


class NetworkSegmenter:
    """Segments whole images with a trained network at its training resolution.

    Images up to ``tile`` px a side run in one pass; larger ones in overlapping tiles of the
    training crop size, blended by :func:`nanokit.inference.segment_image`. Images are never
    downscaled, so particles keep the size in px that the model saw in training.

    Args:
        backend: a :class:`nanokit.inference.InferenceBackend` (torch model or ONNX file).
        tile: tile side in px (the training crop size).
        overlap: px shared by neighbouring tiles.
        batch_size: tiles per forward pass.
    """

    def __init__(
        self, backend: Any, tile: int = 512, overlap: int = 64, batch_size: int = 2
    ) -> None:
        self.backend = backend
        self.tile = int(tile)
        self.overlap = min(int(overlap), self.tile // 2)
        self.batch_size = batch_size

    @classmethod
    def from_config(cls, config: Any, checkpoint: str | Path) -> NetworkSegmenter:
        """The config's model with ``checkpoint`` (safetensors/torch weights, or an exported
        ``.onnx`` file); the tile is ``measure.tile_size``, else the training ``crop_size``.

        ``measure.inference`` picks the backend (see
        :func:`nanokit.inference.select.network_backend`): ``"auto"`` (default) runs weights
        through ONNX Runtime fp32, exported and cached on first use, where onnxruntime is
        installed, else PyTorch; ``"torch"`` and ``"onnx"`` force one.
        """
        from ..config import load_config
        from ..inference.select import network_backend

        cfg = load_config(config)
        section = cfg.get("measure") or {}
        tile = section.get("tile_size") or cfg.get("crop_size") or 512
        tile = max(tile) if isinstance(tile, (list, tuple)) else int(tile)
        backend = network_backend(cfg, checkpoint, section.get("inference", "auto"))
        return cls(backend, tile=tile)

    def predict_mask(
        self,
        image: np.ndarray,
        rows: tuple[int, int] | None = None,
        overlays: Sequence[Box] = (),
    ) -> np.ndarray:
        """Segment one image.

        Args:
            image: (H, W) uint8 grey image.
            rows: ``[top, bottom)`` rows to segment (outside the data bar); the rest stays
                background.
            overlays: boxes (x0, y0, x1, y1) of annotations drawn on the image (scale bar,
                label): regions that reach them are dropped.

        Returns:
            (H, W) bool particle mask.
        """
        from ..inference import segment_image

        top, bottom = rows if rows is not None else (0, image.shape[0])
        labels = segment_image(
            self.backend,
            image[top:bottom],
            tile=self.tile,
            overlap=self.overlap,
            batch_size=self.batch_size,
        )
        full = np.zeros(image.shape[:2], dtype=bool)
        full[top:bottom] = labels == 1
        return drop_overlays(full, overlays)
