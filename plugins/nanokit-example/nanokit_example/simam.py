"""SimAM: a parameter-free attention block (Yang et al., ICML 2021)."""

from __future__ import annotations

import torch

from nanokit.models.attention.base import BaseAttention
from nanokit.registry import ATTENTION


@ATTENTION.register_module()
class SimAM(BaseAttention):
    """Weights each activation by ``sigmoid(1/E)``, E being the minimal energy of that neuron.

    ``1/E = (x - mu)^2 / (4 (var + lambda)) + 0.5`` per channel, with mu and var the channel's
    spatial mean and variance; no learnable parameters.

    Args:
        channels: feature channels C (unused; accepted like every attention block).
        e_lambda: regulariser lambda of the energy.
    """

    def __init__(self, channels: int | None = None, e_lambda: float = 1e-4) -> None:
        super().__init__(channels or 0)
        self.e_lambda = e_lambda

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d = (x - x.mean(dim=(2, 3), keepdim=True)).pow(2)
        n = x.shape[2] * x.shape[3] - 1
        var = d.sum(dim=(2, 3), keepdim=True) / max(n, 1)
        return x * torch.sigmoid(d / (4 * (var + self.e_lambda)) + 0.5)
