"""Small helpers shared by the hooks."""

from __future__ import annotations

from mmengine.model import is_model_wrapper
from torch import nn


def unwrap(model: nn.Module) -> nn.Module:
    """The bare model inside a (distributed) model wrapper."""
    return model.module if is_model_wrapper(model) else model
