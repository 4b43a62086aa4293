"""ONNX Runtime on the CPU: an exported fp32 or static-int8 model (see ``nanokit export``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import MissingExtraError, NanokitError, first_line
from .base import InferenceBackend
from .threads import inference_threads

#: model metadata key written by nanokit's exporter: "fp32" or "int8".
PRECISION_KEY = "nanokit.precision"


def import_onnxruntime() -> Any:
    """``onnxruntime``, or a MissingExtraError naming the ``onnx`` extra."""
    try:
        import onnxruntime
    except ImportError as exc:
        raise MissingExtraError("onnxruntime", extra="onnx") from exc
    return onnxruntime


class OnnxBackend(InferenceBackend):
    """An ONNX model run by ONNX Runtime's CPU execution provider.

    Args:
        path: ``.onnx`` file with one input (N, 3, H, W) float32 in [0, 1] and logits as the
            first output; H and W may be dynamic (nanokit's exporter makes them so).
        threads: intra-op threads of the session; None = this process's share of the cores
            (:func:`~nanokit.inference.threads.inference_threads`), else ONNX Runtime's choice
            (all cores).
        spinning: let idle worker threads spin-wait for work. Off by default: spinning threads
            burn CPU that other processes (measure workers, other jobs) need; on the shared
            2-core machine a batch of two 256 x 256 tiles took 4.6 s wall and 0.15 s CPU without
            spinning against 5.6 s and 0.26 s with it.
    """

    name = "onnx"

    def __init__(
        self, path: str | Path, *, threads: int | None = None, spinning: bool = False
    ) -> None:
        super().__init__()
        ort = import_onnxruntime()
        self.path = Path(path)
        if not self.path.is_file():
            raise NanokitError(f"ONNX model not found: {self.path}")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        options.add_session_config_entry("session.intra_op.allow_spinning", str(int(spinning)))
        threads = threads if threads is not None else inference_threads()
        if threads is not None:
            if threads < 1:
                raise NanokitError(f"threads must be >= 1, got {threads}")
            options.intra_op_num_threads = threads
        try:
            self.session = ort.InferenceSession(
                str(self.path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # noqa: BLE001 - ORT raises its own exception types
            detail = first_line(exc, type(exc).__name__)
            raise NanokitError(f"cannot load ONNX model {self.path}: {detail}") from exc
        inputs = self.session.get_inputs()
        if len(inputs) != 1:
            raise NanokitError(f"{self.path}: expected one image input, found {len(inputs)}")
        self.input_name = inputs[0].name
        metadata = self.session.get_modelmeta().custom_metadata_map
        self.precision = metadata.get(PRECISION_KEY, "unknown")

    def _run(self, batch: np.ndarray) -> np.ndarray:
        try:
            return self.session.run(None, {self.input_name: batch})[0]
        except Exception as exc:  # noqa: BLE001 - ORT raises its own exception types
            detail = first_line(exc, type(exc).__name__)
            shape = " x ".join(map(str, batch.shape))
            raise NanokitError(f"{self.path.name} failed on a {shape} batch: {detail}") from exc

    def describe(self) -> str:
        return f"onnx, {self.precision}, {self.path.name}"
