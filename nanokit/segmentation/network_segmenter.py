"""A trained network as a segmenter, run through ``nanokit.inference`` in overlapping tiles."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NanokitError
from ..registry import SEGMENTERS
from .base import BaseSegmenter
from .overlays import Box, drop_overlays


@SEGMENTERS.register_module()
class NetworkSegmenter(BaseSegmenter):
    """Segments whole images with a trained network at its training resolution.

    Images up to ``tile`` px a side run in one pass; larger ones in overlapping tiles of the
    training crop size, blended by :func:`nanokit.inference.segment_image`. Images are never
    downscaled, so particles keep the size in px that the model saw in training.

    From a config: ``segmenter=dict(type="NetworkSegmenter", config="my_model.py",
    checkpoint="best.safetensors")`` (what ``nanokit measure --config C --checkpoint W`` builds).

    Args:
        backend: a :class:`nanokit.inference.InferenceBackend` (torch model or ONNX file); or
            None to build one from ``config`` and ``checkpoint``.
        tile: tile side in px; None = the config's ``measure.tile_size``, else its training
            ``crop_size``, else 512.
        overlap: px shared by neighbouring tiles.
        batch_size: tiles per forward pass.
        config: config (path, dict or mmengine Config) with the ``model`` the weights belong
            to (with ``backend=None``).
        checkpoint: the model's weights (safetensors/torch file) or an exported ``.onnx`` file
            (with ``backend=None``).
        inference: ``"auto"``, ``"onnx"`` or ``"torch"`` (see
            :func:`nanokit.inference.select.network_backend`); None = the config's
            ``measure.inference``, else ``"auto"``.
    """

    def __init__(
        self,
        backend: Any = None,
        tile: int | None = None,
        overlap: int = 64,
        batch_size: int = 2,
        config: Any = None,
        checkpoint: str | Path | None = None,
        inference: str | None = None,
    ) -> None:
        if backend is None:
            backend, config_tile = _backend_from_config(config, checkpoint, inference)
            tile = tile or config_tile
        self.backend = backend
        self.tile = int(tile or 512)
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
        return cls(config=config, checkpoint=checkpoint)

    def predict_mask(
        self,
        image: np.ndarray,
        rows: tuple[int, int] | None = None,
        overlays: Sequence[Box] = (),
    ) -> np.ndarray:
        """(H, W) bool particle mask of ``image`` (see :meth:`BaseSegmenter.predict_mask`)."""
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
        full, self.at_overlays = drop_overlays(full, overlays)
        return full


def _backend_from_config(
    config: Any, checkpoint: str | Path | None, inference: str | None
) -> tuple[Any, int]:
    """The backend of ``config``'s model with ``checkpoint``, and the config's tile size."""
    from ..config import load_config
    from ..inference.select import network_backend

    if config is None or checkpoint is None:
        raise NanokitError(
            "NetworkSegmenter needs config= (the model's config) and checkpoint= (its weights)"
        )
    if not Path(checkpoint).is_file():
        raise NanokitError(f"checkpoint not found: {checkpoint}")
    cfg = load_config(config)
    if not cfg.get("model"):
        where = config if isinstance(config, (str, Path)) else "given"
        raise NanokitError(f"NetworkSegmenter: the config {where} has no model")
    section = cfg.get("measure") or {}
    tile = section.get("tile_size") or cfg.get("crop_size") or 512
    tile = max(tile) if isinstance(tile, (list, tuple)) else int(tile)
    backend = network_backend(cfg, checkpoint, inference or section.get("inference", "auto"))
    return backend, tile
