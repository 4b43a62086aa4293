"""The small U-Net that ships with nanokit, trained on synthetic SEM images only."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..registry import SEGMENTERS
from .network_segmenter import NetworkSegmenter
from .overlays import Box
from .specks import drop_specks, typical_diameter

#: The shipped network: a plain U-Net of 0.5 M parameters (no attention, no pretrained
#: encoder), trained by ``configs/measure/unet_tiny_synth.py``, whose model must equal this one.
MODEL: dict[str, Any] = dict(
    type="EncoderDecoder",
    num_classes=2,
    backbone=dict(type="UNetEncoder", channels=(8, 16, 32, 64, 128)),
    decoder=dict(
        type="UNetDecoder",
        channels=(64, 32, 16, 8),
        block=dict(type="CRCRA"),
        attention=dict(type="Identity"),
    ),
)
#: Its weights (safetensors, 2 MB), package data.
WEIGHTS = Path(__file__).with_name("weights") / "unet_tiny_synth.safetensors"


@SEGMENTERS.register_module()
class SynthUNetSegmenter(NetworkSegmenter):
    """:class:`NetworkSegmenter` with the shipped weights: a trained network without a checkpoint
    of your own. It has seen only ``nanokit synth`` images (SEM-like, 9-70 px particles); for
    other micrographs train on your own masks (``configs/paper.py``). Like the classical
    segmenter's final pass it drops specks (components narrower than 0.3 typical diameters):
    on real substrates the network takes texture specks for particles.

    Args:
        inference: ``"auto"``, ``"onnx"`` or ``"torch"`` (see
            :func:`nanokit.inference.select.network_backend`).
        tile: tile side (px); fully convolutional, so whole images up to this size run at once.
        overlap: px shared by neighbouring tiles.
    """

    def __init__(self, inference: str = "auto", tile: int = 1024, overlap: int = 64) -> None:
        from ..inference.select import network_backend

        super().__init__(
            network_backend(*self.network({}), inference),
            tile=tile,
            overlap=overlap,
            batch_size=1,
        )

    @staticmethod
    def network(options: dict[str, Any]) -> tuple[Any, Path]:
        """(config with the model, weights) that a segmenter built with ``options`` runs."""
        return dict(model=MODEL), WEIGHTS

    def predict_mask(
        self,
        image: np.ndarray,
        rows: tuple[int, int] | None = None,
        overlays: Sequence[Box] = (),
    ) -> np.ndarray:
        """The network's mask (see :meth:`NetworkSegmenter.predict_mask`) without specks."""
        mask = super().predict_mask(image, rows, overlays)
        diameter = typical_diameter(mask)
        return drop_specks(mask, diameter) if diameter is not None else mask
