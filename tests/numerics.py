"""Tolerances for comparing two evaluations of one network, derived from the arithmetic.

Two fp32 evaluations of a network differ by rounding only: oneDNN and ONNX Runtime's MLAS, their
AVX2, AVX-512 and AMX kernels, NCHW and channels-last layouts, a whole image and its tiles all
split and order the K products of each dot product differently. Two orders of one dot product
differ by at most 2 gamma_K sum|a b| ~ 2 K u sum|a b| (Higham, *Accuracy and Stability of
Numerical Algorithms*, section 3.1), u the unit roundoff. Summing that over the layers and taking
sum|a b| of the order of the largest output (the bound is the worst case: rounding errors usually
grow like sqrt(K), not K), outputs differ by at most 2 u (sum of K over layers) max|output|: about
1e-4 of the output scale for the tiny test models, so a wrong padding, a size-dependent branch or
a missing layer (1e-2 and more) still fails.

Where a kernel rounds its inputs to a shorter format (autocast to bf16; oneDNN told to run fp32
convolutions in bf16 or tf32, which AMX makes fast), each layer adds up to 3 u' sum|a b| (inputs,
weights and output rounded, u' that format's unit roundoff) whatever K, on top.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import torch
from torch import nn

#: unit roundoff of float32 (24 significant bits), bfloat16 (8) and TensorFloat-32 (11).
FP32_U = 2.0**-24
BF16_U = 2.0**-8
TF32_U = 2.0**-11


def dot_lengths(model: nn.Module) -> list[int]:
    """K (inputs per output: C_in / groups x kernel area) of every convolution and linear layer."""
    lengths = []
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            kh, kw = module.kernel_size
            lengths.append(module.in_channels // module.groups * kh * kw)
        elif isinstance(module, nn.Linear):
            lengths.append(module.in_features)
    return lengths


def output_scale(model: nn.Module, images: Iterable[np.ndarray]) -> float:
    """Largest |output| of ``model`` in fp32 over (3, H, W) or (N, 3, H, W) float32 images."""
    scale = 0.0
    with torch.inference_mode():
        for image in images:
            batch = torch.from_numpy(image if image.ndim == 4 else image[None])
            scale = max(scale, float(model(batch).abs().max()))
    return scale


def fp32_tolerance(model: nn.Module, images: Iterable[np.ndarray]) -> float:
    """Largest output difference two fp32 evaluations of ``model`` on ``images`` may show.

    Uses the reduced unit roundoff where torch is set to run fp32 convolutions or matrix products
    in bf16 or tf32 (``torch.backends.mkldnn``; IEEE fp32 unless someone asked otherwise).
    """
    lengths = dot_lengths(model)
    per_layer = {"bf16": BF16_U, "tf32": TF32_U}.get(_mkldnn_fp32_precision(), 0.0)
    relative = 2 * FP32_U * sum(lengths) + 3 * per_layer * len(lengths)
    return relative * output_scale(model, images)


def bf16_tolerance(model: nn.Module, images: Iterable[np.ndarray]) -> float:
    """Largest output difference between ``model`` autocast to bf16 and in fp32 on ``images``."""
    lengths = dot_lengths(model)
    relative = 3 * BF16_U * len(lengths) + 2 * FP32_U * sum(lengths)
    return relative * output_scale(model, images)


def _mkldnn_fp32_precision() -> str:
    """``"bf16"``, ``"tf32"`` or ``"ieee"``: what oneDNN may use for fp32 layers."""
    mkldnn = torch.backends.mkldnn
    scopes = (mkldnn, getattr(mkldnn, "conv", None), getattr(mkldnn, "matmul", None))
    settings = {getattr(scope, "fp32_precision", None) for scope in scopes}
    return "bf16" if "bf16" in settings else "tf32" if "tf32" in settings else "ieee"
