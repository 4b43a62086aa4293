"""Mix Transformer (MiT), the SegFormer encoder (Xie et al., NeurIPS 2021), sizes b0-b2."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ...errors import NanokitError
from ...registry import BACKBONES
from .base import BaseBackbone

#: arch -> (embedding widths, blocks per stage, attention heads per stage)
MIT_SETTINGS: dict[str, tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = {
    "b0": ((32, 64, 160, 256), (2, 2, 2, 2), (1, 2, 5, 8)),
    "b1": ((64, 128, 320, 512), (2, 2, 2, 2), (1, 2, 5, 8)),
    "b2": ((64, 128, 320, 512), (3, 4, 6, 3), (1, 2, 5, 8)),
}
SR_RATIOS = (8, 4, 2, 1)


class DropPath(nn.Module):
    """Stochastic depth: while training, zero a sample's residual branch with probability p."""

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        keep = torch.rand(x.shape[0], *([1] * (x.dim() - 1)), device=x.device) >= self.p
        return x * keep.to(x.dtype) / (1.0 - self.p)


class OverlapPatchEmbed(nn.Module):
    """Strided conv with overlapping windows, then LayerNorm: N x C x H x W -> tokens."""

    def __init__(self, in_channels: int, dim: int, kernel_size: int, stride: int) -> None:
        super().__init__()
        self.proj = nn.Conv2d(in_channels, dim, kernel_size, stride, padding=kernel_size // 2)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, int, int]:
        x = self.proj(x)
        h, w = x.shape[-2:]
        return self.norm(x.flatten(2).transpose(1, 2)), h, w


class EfficientSelfAttention(nn.Module):
    """Multi-head self-attention whose keys/values are spatially reduced by ``sr_ratio``."""

    def __init__(self, dim: int, heads: int, sr_ratio: int) -> None:
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.proj = nn.Linear(dim, dim)
        self.sr_ratio = sr_ratio
        if sr_ratio > 1:
            self.sr = nn.Conv2d(dim, dim, sr_ratio, sr_ratio)
            self.norm = nn.LayerNorm(dim)

    def forward(self, x: torch.Tensor, h: int, w: int) -> torch.Tensor:
        n, length, dim = x.shape
        q = self.q(x).reshape(n, length, self.heads, -1).transpose(1, 2)
        if self.sr_ratio > 1:
            grid = x.transpose(1, 2).reshape(n, dim, h, w)
            x = self.norm(self.sr(grid).flatten(2).transpose(1, 2))
        k, v = self.kv(x).reshape(n, -1, 2, self.heads, dim // self.heads).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v)
        return self.proj(out.transpose(1, 2).reshape(n, length, dim))


class MixFFN(nn.Module):
    """Linear -> 3x3 depth-wise conv -> GELU -> linear (the conv gives positional information)."""

    def __init__(self, dim: int, hidden: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.dwconv = nn.Conv2d(hidden, hidden, 3, padding=1, groups=hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x: torch.Tensor, h: int, w: int) -> torch.Tensor:
        x = self.fc1(x)
        n, _, c = x.shape
        x = self.dwconv(x.transpose(1, 2).reshape(n, c, h, w)).flatten(2).transpose(1, 2)
        return self.fc2(F.gelu(x))


class MiTBlock(nn.Module):
    """Pre-norm transformer block: attention and Mix-FFN, each with a residual."""

    def __init__(self, dim: int, heads: int, sr_ratio: int, mlp_ratio: int, drop_path: float):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = EfficientSelfAttention(dim, heads, sr_ratio)
        self.norm2 = nn.LayerNorm(dim)
        self.ffn = MixFFN(dim, dim * mlp_ratio)
        self.drop_path = DropPath(drop_path) if drop_path > 0 else nn.Identity()

    def forward(self, x: torch.Tensor, h: int, w: int) -> torch.Tensor:
        x = x + self.drop_path(self.attn(self.norm1(x), h, w))
        return x + self.drop_path(self.ffn(self.norm2(x), h, w))


class MiTStage(nn.Module):
    """Patch embedding, transformer blocks, LayerNorm; returns an N x C x h x w map."""

    def __init__(self, embed: OverlapPatchEmbed, blocks: list[MiTBlock], dim: int) -> None:
        super().__init__()
        self.embed = embed
        self.blocks = nn.ModuleList(blocks)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        tokens, h, w = self.embed(x)
        for block in self.blocks:
            tokens = block(tokens, h, w)
        return self.norm(tokens).transpose(1, 2).reshape(x.shape[0], -1, h, w)


@BACKBONES.register_module()
class MiT(BaseBackbone):
    """Hierarchical transformer encoder with features at strides 4, 8, 16, 32.

    Args:
        arch: ``"b0"``, ``"b1"`` or ``"b2"``.
        in_channels: image channels.
        mlp_ratio: hidden width of Mix-FFN relative to the embedding width.
        drop_path_rate: stochastic depth, rising linearly to this value over the blocks.
        checkpoint: local weights for this encoder (a state dict of this module).
        frozen: start frozen.
    """

    def __init__(
        self,
        arch: str = "b0",
        in_channels: int = 3,
        mlp_ratio: int = 4,
        drop_path_rate: float = 0.1,
        checkpoint: str | None = None,
        frozen: bool = False,
    ) -> None:
        super().__init__()
        if arch not in MIT_SETTINGS:
            raise NanokitError(f"MiT: unknown arch {arch!r}; choose from {', '.join(MIT_SETTINGS)}")
        dims, depths, heads = MIT_SETTINGS[arch]
        rates = torch.linspace(0, drop_path_rate, sum(depths)).tolist()
        stages, start, prev = [], 0, in_channels
        for i, (dim, depth) in enumerate(zip(dims, depths, strict=True)):
            embed = OverlapPatchEmbed(prev, dim, 7 if i == 0 else 3, 4 if i == 0 else 2)
            blocks = [
                MiTBlock(dim, heads[i], SR_RATIOS[i], mlp_ratio, rates[start + j])
                for j in range(depth)
            ]
            stages.append(MiTStage(embed, blocks, dim))
            start, prev = start + depth, dim
        self.stages = nn.ModuleList(stages)
        self.out_channels = list(dims)
        self.strides = [4, 8, 16, 32]
        self.apply(self._init_weights)
        if checkpoint is not None:
            from ...utils.checkpoint import load_weights

            load_weights(self, checkpoint)
        self.freeze(frozen)

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear):
            nn.init.trunc_normal_(module.weight, std=0.02)
            nn.init.zeros_(module.bias)
        elif isinstance(module, nn.LayerNorm):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        features = []
        for stage in self.stages:
            x = stage(x)
            features.append(x)
        return features
