"""Saving and loading model weights: safetensors first, torch files as a fallback."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NanokitError, first_line

if TYPE_CHECKING:
    import torch
    from torch import nn


def read_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    """Read a state dict from a ``.safetensors`` file or a torch checkpoint.

    Torch files are opened with ``weights_only=True``; mmengine checkpoints (which pickle
    ``HistoryBuffer`` and friends) fall back to ``weights_only=False`` with a warning, which is
    only safe for local files you trust. A ``state_dict`` key inside the file is unwrapped.
    """
    path = Path(path)
    if not path.is_file():
        raise NanokitError(f"weights file not found: {path}")
    try:
        obj = _load(path)
    except Exception as exc:  # noqa: BLE001 - safetensors, pickle and zip raise their own types
        raise NanokitError(
            f"cannot read weights {path}: {first_line(exc, type(exc).__name__)}"
        ) from exc
    if isinstance(obj, dict) and isinstance(obj.get("state_dict"), dict):
        obj = obj["state_dict"]
    if not isinstance(obj, dict):
        raise NanokitError(f"{path} holds no state dict")
    return obj


def _load(path: Path) -> object:
    """The object stored in ``path``: a safetensors state dict, or what a torch file holds."""
    import torch

    if path.suffix == ".safetensors":
        from safetensors.torch import load_file

        return load_file(str(path))
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # noqa: BLE001 - pickled objects other than tensors
        warnings.warn(
            f"{path} is not a plain state dict; loading it with weights_only=False (trusted files only)",
            stacklevel=3,
        )
        return torch.load(path, map_location="cpu", weights_only=False)


def load_weights(model: nn.Module, path: str | Path, strict: bool = True) -> None:
    """Load weights from ``path`` into ``model``; mismatches give a one-line error."""
    state = read_state_dict(path)
    try:
        model.load_state_dict(state, strict=strict)
    except RuntimeError as exc:
        detail = " ".join(str(exc).split())[:300]
        raise NanokitError(f"{path} does not fit the model: {detail}") from exc


def save_weights(model: nn.Module, path: str | Path) -> Path:
    """Write ``model``'s state dict as safetensors (contiguous tensors, shared storage cloned)."""
    from safetensors.torch import save_file

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu().contiguous().clone() for k, v in model.state_dict().items()}
    save_file(state, str(path))
    return path
