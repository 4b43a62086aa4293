"""Batching of nanokit dataset items for the segmentors."""

from __future__ import annotations

from typing import Any

import torch
from mmengine.model import BaseDataPreprocessor


class SegDataPreprocessor(BaseDataPreprocessor):
    """Stack a collated batch into what ``EncoderDecoder.forward`` takes.

    ``data`` is the ``pseudo_collate`` of dataset items: ``inputs`` a list of (3, H, W)
    float tensors, ``data_samples`` a list of (H, W) long masks and ``meta`` a dict of lists.
    Returns ``dict(inputs=N x 3 x H x W, data_samples=N x H x W)`` on the model's device;
    ``meta`` stays in the batch that the metrics see, not in the model call. Items of one
    batch must share their size (training crops do; evaluation uses batch size 1).
    """

    def forward(self, data: dict[str, Any], training: bool = False) -> dict[str, Any]:
        inputs = data["inputs"]
        samples = data.get("data_samples")
        if isinstance(inputs, (list, tuple)):
            inputs = torch.stack(list(inputs))
        if isinstance(samples, (list, tuple)):
            samples = torch.stack(list(samples))
        return {"inputs": self.cast_data(inputs), "data_samples": self.cast_data(samples)}
