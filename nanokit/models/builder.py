"""``nanokit.build_model``: a segmentation network (registry ``SEGMENTORS``) from a config."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..config import ConfigLike, load_config
from ..errors import NanokitError

if TYPE_CHECKING:
    from torch import nn


def build_model(cfg: ConfigLike, checkpoint: str | Path | None = None) -> nn.Module:
    """Build the model of ``cfg`` (a full config with a ``model`` key, or a model dict).

    Args:
        cfg: an mmengine ``Config``, a dict or a path to a Python config.
        checkpoint: optional weights (safetensors or a torch file) loaded strictly.

    Returns:
        A torch module mapping N x 3 x H x W floats to N x num_classes x H x W logits.
    """
    from ..registry import SEGMENTORS, build

    config = load_config(cfg)
    model_cfg = config.get("model", config)
    if "type" not in model_cfg:
        raise NanokitError("the config has no 'model' with a 'type'")
    model = build(SEGMENTORS, model_cfg.to_dict() if hasattr(model_cfg, "to_dict") else model_cfg)
    if checkpoint is not None:
        from ..utils.checkpoint import load_weights

        load_weights(model, checkpoint)
    return model
