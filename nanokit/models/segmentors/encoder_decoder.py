"""Encoder (+ neck) + decoder segmentation network, trained and run by mmengine."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel
from torch import nn

from ...errors import NanokitError
from ...registry import BACKBONES, DECODERS, LOSSES, NECKS, SEGMENTORS, build

MIN_SIZE = 64


@SEGMENTORS.register_module()
class EncoderDecoder(BaseModel):
    """Backbone -> optional neck -> decoder, with normalisation, padding and losses.

    Images are N x 3 x H x W floats in [0, 1] (grey replicated to 3 channels), any H, W >= 64;
    the model normalises them with ``mean``/``std``, zero-pads H and W up to a multiple of the
    encoder's coarsest stride, and crops the logits back to H x W.

    Args:
        backbone: BACKBONES config (``frozen=True`` starts it frozen).
        decoder: DECODERS config; gets ``in_channels``, ``in_strides`` and ``num_classes``.
        num_classes: output classes (2: background, particle).
        neck: optional NECKS config between backbone and decoder; gets ``in_channels`` and
            ``in_strides`` and must expose ``out_channels`` and ``strides``.
        loss: LOSSES config or list of them (each with its ``loss_weight``); default cross-entropy.
        mean: per-channel mean of the [0, 1] input.
        std: per-channel standard deviation of the [0, 1] input.
        data_preprocessor: mmengine data preprocessor config (default: moves data to the device).
        init_cfg: mmengine weight initialisation config.
    """

    def __init__(
        self,
        backbone: dict,
        decoder: dict,
        num_classes: int = 2,
        neck: dict | None = None,
        loss: dict | list[dict] | None = None,
        mean: Sequence[float] = (0.485, 0.456, 0.406),
        std: Sequence[float] = (0.229, 0.224, 0.225),
        data_preprocessor: dict | None = None,
        init_cfg: dict | None = None,
    ) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.num_classes = num_classes
        self.backbone = build(BACKBONES, dict(backbone))
        channels, strides = self.backbone.out_channels, self.backbone.strides
        self.neck = None
        if neck:
            self.neck = build(NECKS, dict(neck), in_channels=channels, in_strides=strides)
            channels, strides = self.neck.out_channels, self.neck.strides
        self.decoder = build(
            DECODERS,
            dict(decoder),
            in_channels=channels,
            in_strides=strides,
            num_classes=num_classes,
        )
        self.size_divisor = self.backbone.size_divisor
        loss_cfgs = (
            [loss] if isinstance(loss, dict) else list(loss or [{"type": "CrossEntropyLoss"}])
        )
        self.losses = nn.ModuleList(build(LOSSES, dict(cfg)) for cfg in loss_cfgs)
        self.register_buffer("mean", torch.tensor(mean).view(1, -1, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(std).view(1, -1, 1, 1), persistent=False)

    def freeze_backbone(self, frozen: bool = True) -> None:
        """Stop (restart) training the backbone; while frozen it stays in eval mode."""
        self.backbone.freeze(frozen)

    def extract_features(self, inputs: torch.Tensor) -> list[torch.Tensor]:
        """Backbone (+ neck) features of normalised, padded images."""
        features = self.backbone(inputs)
        return self.neck(features) if self.neck is not None else features

    def logits(self, inputs: torch.Tensor) -> torch.Tensor:
        """N x num_classes x H x W logits of N x 3 x H x W images in [0, 1]."""
        if inputs.dim() != 4 or inputs.shape[1] != self.mean.shape[1]:
            raise NanokitError(
                f"the model takes N x {self.mean.shape[1]} x H x W images, got {tuple(inputs.shape)}"
            )
        height, width = inputs.shape[-2:]
        if height < MIN_SIZE or width < MIN_SIZE:
            raise NanokitError(
                f"images must be at least {MIN_SIZE} x {MIN_SIZE} px, got {height} x {width}"
            )
        x = (inputs - self.mean) / self.std
        d = self.size_divisor
        x = F.pad(x, (0, (d - width % d) % d, 0, (d - height % d) % d))
        out = self.decoder(self.extract_features(x))
        if out.shape[-2:] != x.shape[-2:]:
            out = F.interpolate(out, size=x.shape[-2:], mode="bilinear", align_corners=False)
        return out[..., :height, :width]

    def loss(self, inputs: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """Scalar losses by name (``loss_ce`` ...; repeated names get a numeric suffix)."""
        logits = self.logits(inputs)
        labels = labels.to(device=logits.device, dtype=torch.long)
        if labels.shape != (logits.shape[0], *logits.shape[-2:]):
            raise NanokitError(
                f"labels must be N x H x W = {(logits.shape[0], *logits.shape[-2:])}, "
                f"got {tuple(labels.shape)}"
            )
        out: dict[str, torch.Tensor] = {}
        for loss in self.losses:
            key = loss.name
            while key in out:
                key = f"{key}_{len(out)}"
            out[key] = loss(logits, labels)
        return out

    def predict(self, inputs: torch.Tensor, labels: torch.Tensor | None = None) -> list[dict]:
        """One dict per image: ``pred`` (H x W LongTensor, argmax) and ``gt`` (labels or None)."""
        preds = self.logits(inputs).argmax(dim=1)
        return [
            {"pred": p, "gt": None if labels is None else labels[i]} for i, p in enumerate(preds)
        ]

    def forward(
        self, inputs: torch.Tensor, data_samples: torch.Tensor | None = None, mode: str = "tensor"
    ) -> torch.Tensor | dict[str, torch.Tensor] | list[dict]:
        """mmengine's entry point.

        Args:
            inputs: N x 3 x H x W float images in [0, 1].
            data_samples: N x H x W LongTensor labels (255 = ignore); needed for ``"loss"``.
            mode: ``"tensor"`` (logits), ``"loss"`` (dict of scalar losses) or ``"predict"``.
        """
        if mode == "tensor":
            return self.logits(inputs)
        if mode == "loss":
            if data_samples is None:
                raise NanokitError("mode='loss' needs labels (data_samples)")
            return self.loss(inputs, data_samples)
        if mode == "predict":
            return self.predict(inputs, data_samples)
        raise NanokitError(f"unknown mode {mode!r}; use 'tensor', 'loss' or 'predict'")
