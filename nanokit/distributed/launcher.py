"""``nanokit train CONFIG --launcher pytorch`` under ``torchrun``: DDP through mmengine's Runner.

torchrun starts one process per device and sets ``RANK``, ``LOCAL_RANK``, ``WORLD_SIZE``,
``MASTER_ADDR`` and ``MASTER_PORT``. :func:`init_distributed` joins the process group before
the Runner is built (nccl with CUDA, gloo on CPU: mmengine's own set-up insists on a CUDA
device), :func:`prepare_launcher` gives the Runner its launcher and DDP wrapper, and
:func:`main_process_first` lets rank 0 prepare shared files while the others wait. mmengine
then shards the data loaders, averages gradients, gathers the metrics of all ranks before
computing them, and writes checkpoints and logs on rank 0 only.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from ..errors import NanokitError

#: ``--launcher`` values: a single process, or one process per device started by torchrun.
LAUNCHERS = ("none", "pytorch")
_TORCHRUN_VARS = ("RANK", "LOCAL_RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")


def init_distributed(launcher: str) -> bool:
    """Join torchrun's process group (once); returns whether training is distributed.

    Raises:
        NanokitError: an unknown launcher, or ``pytorch`` outside torchrun.
    """
    if launcher not in LAUNCHERS:
        raise NanokitError(f"--launcher must be one of {', '.join(LAUNCHERS)}, got {launcher!r}")
    if launcher == "none":
        return False
    missing = [name for name in _TORCHRUN_VARS if name not in os.environ]
    if missing:
        raise NanokitError(
            f"--launcher pytorch needs torchrun ({', '.join(missing)} not set): "
            "torchrun --nproc_per_node N $(which nanokit) train CONFIG --launcher pytorch"
        )
    import torch
    import torch.distributed as dist

    if not dist.is_initialized():
        if torch.cuda.is_available():
            torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
        dist.init_process_group(backend="nccl" if torch.cuda.is_available() else "gloo")
    return True


def prepare_launcher(cfg: Any) -> str:
    """The Runner's ``launcher`` for ``cfg.launcher`` (default ``none``), set up to run.

    Under torchrun, joins the process group and, unless the config sets its own, puts a DDP
    ``model_wrapper_cfg`` into ``cfg`` (the Runner reads it from there; buffers such as
    BatchNorm statistics follow rank 0, as in plain DDP):
    :class:`~nanokit.distributed.freezable_ddp.FreezableDDP` on the local device (GPU) or
    with no device ids (CPU), with ``find_unused_parameters`` so that a backbone frozen for
    the first epochs (its parameters get no gradients) does not stall the gradient all-reduce.
    """
    launcher = cfg.get("launcher") or "none"
    if not init_distributed(launcher):
        return "none"
    import torch

    from . import freezable_ddp  # noqa: F401 - registers FreezableDDP

    if cfg.get("model_wrapper_cfg") is None:
        local = int(os.environ["LOCAL_RANK"])
        cfg.model_wrapper_cfg = dict(
            type="nanokit.FreezableDDP",
            device_ids=[local] if torch.cuda.is_available() else None,
            find_unused_parameters=True,
        )
    return launcher


@contextlib.contextmanager
def main_process_first() -> Iterator[None]:
    """Rank 0 runs the block first (e.g. writing a synthetic data set), then the other ranks.

    Without a process group this is a plain block.
    """
    from mmengine.dist import barrier, is_main_process

    if not is_main_process():
        barrier()
    try:
        yield
    finally:
        if is_main_process():
            barrier()
