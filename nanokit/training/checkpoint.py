"""Loading mmengine's own training checkpoints (resume, load_from) under torch >= 2.6.

mmengine 0.10.7 calls ``torch.load`` without ``weights_only``, and torch >= 2.6 then refuses the
``HistoryBuffer`` and numpy objects of the message hub. Rather than switching the safe loader
off, :func:`trusted_checkpoints` allow-lists exactly those classes while the Runner loads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


def checkpoint_safe_globals() -> list:
    """The classes and functions that an mmengine checkpoint pickles besides tensors."""
    import numpy as np
    from mmengine.logging.history_buffer import HistoryBuffer

    core = np._core if hasattr(np, "_core") else np.core  # numpy >= 2 / < 2
    dtype_classes = [type(np.dtype(t)) for t in np.typecodes["All"] if t not in "Mm"]
    return [
        HistoryBuffer,
        np.ndarray,
        np.dtype,
        core.multiarray.scalar,
        core.multiarray._reconstruct,
        getattr,
        *dtype_classes,
    ]


@contextlib.contextmanager
def trusted_checkpoints() -> Iterator[None]:
    """Let ``torch.load(weights_only=True)`` read mmengine checkpoints inside this block."""
    import torch

    with torch.serialization.safe_globals(checkpoint_safe_globals()):
        yield
