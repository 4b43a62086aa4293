"""``build_backend``: an inference backend by kind name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import NanokitError
from .base import InferenceBackend

#: backend kinds that :func:`build_backend` knows.
BACKEND_KINDS = ("torch", "onnx")


def build_backend(kind: str, source: Any, **opts: Any) -> InferenceBackend:
    """Build an inference backend.

    Args:
        kind: ``"torch"`` (``source`` = a torch module) or ``"onnx"`` (``source`` = path to an
            ``.onnx`` file from ``nanokit export``, fp32 or int8).
        source: the model or the model file.
        **opts: backend options: torch: ``channels_last``, ``bf16`` ("auto"/True/False),
            ``threads``; onnx: ``threads``, ``spinning``.

    Returns:
        A backend whose ``predict`` maps (N, 3, H, W) float32 in [0, 1] to (N, C, H, W) logits.
    """
    if kind == "torch":
        if isinstance(source, (str, Path)):
            raise NanokitError("the torch backend needs a model; build it with nanokit.build_model")
        from .torch_backend import TorchBackend

        return TorchBackend(source, **opts)
    if kind == "onnx":
        if not isinstance(source, (str, Path)):
            raise NanokitError("the onnx backend needs the path of an .onnx file (nanokit export)")
        from .onnx_backend import OnnxBackend

        return OnnxBackend(source, **opts)
    raise NanokitError(f"unknown inference backend {kind!r}; known: {', '.join(BACKEND_KINDS)}")
