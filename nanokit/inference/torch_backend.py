"""PyTorch on the CPU: inference mode, channels-last memory layout, optional bf16 autocast."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Literal

import numpy as np

from ..errors import NanokitError
from .base import InferenceBackend
from .cpu import BF16_FLAGS, has_native_bf16
from .threads import inference_threads

if TYPE_CHECKING:
    from torch import nn


class TorchBackend(InferenceBackend):
    """A torch module as an inference backend.

    The module is switched to eval mode (and to channels-last when asked) in place.

    Args:
        model: maps (N, 3, H, W) float images in [0, 1] to (N, C, H, W) logits, as
            ``EncoderDecoder`` does in ``mode="tensor"``.
        channels_last: store weights and inputs channels-last (NHWC), faster for CPU convolutions.
        bf16: ``"auto"`` autocasts to bfloat16 only where the CPU has native bf16 (AVX512-BF16 or
            AMX); ``True`` forces it (emulated and slow elsewhere, with a warning); ``False`` = fp32.
        threads: torch intra-op threads (process-wide setting); None = this process's share of
            the cores (:func:`~nanokit.inference.threads.inference_threads`), else torch's
            default.
    """

    name = "torch"

    def __init__(
        self,
        model: nn.Module,
        *,
        channels_last: bool = True,
        bf16: bool | Literal["auto"] = "auto",
        threads: int | None = None,
    ) -> None:
        import torch

        super().__init__()
        if not callable(model) or not hasattr(model, "eval"):
            raise NanokitError(f"TorchBackend needs a torch module, got {type(model).__name__}")
        threads = threads if threads is not None else inference_threads()
        if threads is not None:
            if threads < 1:
                raise NanokitError(f"threads must be >= 1, got {threads}")
            torch.set_num_threads(threads)
        self.model = model.eval()
        self.channels_last = channels_last
        if channels_last:
            self.model.to(memory_format=torch.channels_last)
        self.bf16 = self._resolve_bf16(bf16)

    def _resolve_bf16(self, bf16: bool | Literal["auto"]) -> bool:
        native = has_native_bf16()
        if bf16 == "auto":
            if not native:
                self.notes.append(
                    f"bf16 off: this CPU has none of {', '.join(BF16_FLAGS)}; running fp32"
                )
            return native
        if bf16 and not native:
            message = (
                f"bf16 forced on a CPU without {' or '.join(BF16_FLAGS)}: emulated, likely slow"
            )
            warnings.warn(message, stacklevel=3)
            self.notes.append(message)
        return bool(bf16)

    def _run(self, batch: np.ndarray) -> np.ndarray:
        import torch

        x = torch.from_numpy(batch)
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        with (
            torch.inference_mode(),
            torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16),
        ):
            logits = self.model(x)
        return logits.float().contiguous().numpy()

    def describe(self) -> str:
        import torch

        parts = [
            "torch",
            "bf16" if self.bf16 else "fp32",
            "channels_last" if self.channels_last else "contiguous",
            f"{torch.get_num_threads()} threads",
        ]
        return ", ".join(parts)
