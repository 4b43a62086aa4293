"""The small U-Net that ships with nanokit, trained on synthetic SEM images only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..registry import SEGMENTORS
from .network_segmenter import NetworkSegmenter

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


@SEGMENTORS.register_module()
class SynthUNetSegmenter(NetworkSegmenter):
    """:class:`NetworkSegmenter` with the shipped weights: a trained network without a checkpoint
    of your own. It has seen only ``nanokit synth`` images (SEM-like, 9-70 px particles); for
    other micrographs train on your own masks (``configs/paper.py``).

    Args:
        inference: ``"auto"``, ``"onnx"`` or ``"torch"`` (see
            :func:`nanokit.inference.select.network_backend`).
        tile: tile side (px); fully convolutional, so whole images up to this size run at once.
        overlap: px shared by neighbouring tiles.
    """

    def __init__(self, inference: str = "auto", tile: int = 1024, overlap: int = 64) -> None:
        from ..inference.select import network_backend

        super().__init__(
            network_backend(dict(model=MODEL), WEIGHTS, inference),
            tile=tile,
            overlap=overlap,
            batch_size=1,
        )
