"""Fast CPU inference: torch and ONNX Runtime backends, tiled whole-image segmentation, export.

Typical use (what ``measure`` does)::

    from nanokit.inference import build_backend, segment_image

    backend = build_backend("onnx", "model_int8.onnx")  # or ("torch", model, bf16="auto")
    labels = segment_image(backend, grey_uint8_image)  # (H, W) uint8, 1 = particle

Importing this package imports neither torch nor onnxruntime; the backends do when built.
"""

from __future__ import annotations

from .base import InferenceBackend
from .factory import BACKEND_KINDS, build_backend
from .segment import segment_image, to_model_input
from .tiling import predict_tiled

__all__ = [
    "BACKEND_KINDS",
    "InferenceBackend",
    "build_backend",
    "predict_tiled",
    "segment_image",
    "to_model_input",
]
