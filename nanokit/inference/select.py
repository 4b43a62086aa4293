"""Which backend runs a trained network: ``auto`` prefers ONNX Runtime fp32, exported on first use.

Measured on the project's 2-core AVX2 CPU (docs/inference.md), ONNX Runtime fp32 gives the same
masks as PyTorch and runs faster with half the memory; int8 is faster again but changes the
masks, so it is used only when the user passes an int8 ``.onnx`` file from ``nanokit export``.

``auto`` with trained weights (safetensors or a torch file) exports them once to fp32 ONNX,
checks the export against PyTorch and keeps it in a cache folder keyed by the weights' and the
model config's content, so later runs start from the cached file without building the torch
model. Without onnxruntime, or when the export fails or differs from PyTorch, ``auto`` runs
PyTorch and says why in ``backend.notes``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

from ..errors import MissingExtraError, NanokitError
from .base import InferenceBackend
from .factory import build_backend

#: what a config's ``measure.inference`` may say.
INFERENCE_CHOICES = ("auto", "torch", "onnx")


def default_cache_dir() -> Path:
    """Where exported fp32 models are kept: ``~/.cache/nanokit/onnx``."""
    return Path.home() / ".cache" / "nanokit" / "onnx"


def network_backend(
    config: Any,
    checkpoint: str | Path,
    inference: str = "auto",
    cache_dir: str | Path | None = None,
) -> InferenceBackend:
    """The inference backend for a config's trained model.

    Args:
        config: config with the ``model`` the weights belong to (path, dict or mmengine Config).
        checkpoint: trained weights (safetensors or torch file), or an ``.onnx`` file from
            ``nanokit export`` (fp32 or int8), which is always run by ONNX Runtime.
        inference: ``"auto"`` (ONNX Runtime fp32 when onnxruntime is installed, else PyTorch),
            ``"onnx"`` (ONNX Runtime fp32; an error without onnxruntime) or ``"torch"``.
        cache_dir: folder of exported models; None = :func:`default_cache_dir`.

    Returns:
        A backend; its ``notes`` say why PyTorch was used where ``auto`` could not use ONNX.
    """
    if inference not in INFERENCE_CHOICES:
        raise NanokitError(
            f"measure.inference must be one of {', '.join(INFERENCE_CHOICES)}, got {inference!r}"
        )
    checkpoint = Path(checkpoint)
    if checkpoint.suffix.lower() == ".onnx":
        if inference == "torch":
            raise NanokitError(
                f"{checkpoint.name} is an ONNX file: the torch backend needs weights"
            )
        return build_backend("onnx", checkpoint)
    if inference == "torch":
        return _torch_backend(config, checkpoint)
    try:
        path = cached_export(config, checkpoint, cache_dir)
        return build_backend("onnx", path)
    except NanokitError as exc:
        if inference == "onnx":
            raise
        reason = "onnxruntime is not installed" if isinstance(exc, MissingExtraError) else exc
        backend = _torch_backend(config, checkpoint)
        backend.notes.append(f"PyTorch instead of ONNX Runtime: {reason}")
        if not isinstance(exc, MissingExtraError):
            warnings.warn(f"running PyTorch: {exc}", UserWarning, stacklevel=2)
        return backend


def cached_export(config: Any, checkpoint: str | Path, cache_dir: str | Path | None = None) -> Path:
    """The fp32 ONNX export of ``config``'s model with ``checkpoint``, made on first use.

    The file is named by a digest of the weights file and the model config, so changed weights
    or a changed model give a new export. An export that differs from PyTorch is not kept.

    Returns:
        Path of the cached ``.onnx`` file.
    """
    from .onnx_backend import import_onnxruntime

    import_onnxruntime()
    from ..apis.model import build_model
    from ..config import load_config

    cfg = load_config(config)
    if not cfg.get("model"):
        raise NanokitError("the config has no 'model' to export")
    checkpoint = Path(checkpoint)
    if not checkpoint.is_file():
        raise NanokitError(f"checkpoint not found: {checkpoint}")
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = folder / f"{checkpoint.stem}-{_digest(cfg.model, checkpoint)}.onnx"
    if target.is_file():
        return target
    from .export import check_export_fp32, export_onnx

    model = build_model(cfg, checkpoint)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=folder, suffix=".onnx.tmp")
        os.close(handle)
    except OSError as exc:
        raise NanokitError(f"cannot write the ONNX cache folder {folder}: {exc}") from exc
    try:
        export_onnx(model, tmp)
        check_export_fp32(model, tmp)
        os.replace(tmp, target)  # atomic: parallel workers may export at the same time
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def _torch_backend(config: Any, checkpoint: Path) -> InferenceBackend:
    from ..apis.model import build_model

    return build_backend("torch", build_model(config, checkpoint))


def _digest(model_cfg: Any, checkpoint: Path) -> str:
    """16 hex digits of SHA-256 over the model config and the weights file's bytes."""
    plain = model_cfg.to_dict() if hasattr(model_cfg, "to_dict") else model_cfg
    digest = hashlib.sha256(json.dumps(plain, sort_keys=True, default=str).encode())
    with checkpoint.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]
