"""One out-of-process engine shared by the worker processes of ``measure --workers N``.

Each process of a pool would otherwise start its own worker (and load its own models). Here the
engine lives in one manager process; the pool's processes read through picklable proxies, so N
processes share one worker, started on the first read (a run that reads no label starts none).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.context import BaseContext
from multiprocessing.managers import BaseManager
from typing import Any

import numpy as np

from . import build_engine
from .engines.base import BaseOCREngine, OcrResult
from .engines.out_of_process import OutOfProcessEngine
from .workers.serve import exit_with_parent


class _EngineManager(BaseManager):
    """Serves the engine handed to it (methods ``read`` and ``close``)."""


def _hold(engine: BaseOCREngine) -> BaseOCREngine:
    return engine


_EngineManager.register("hold", callable=_hold, exposed=("read", "close"))


class SharedEngine(BaseOCREngine):
    """An engine that reads through a proxy of an engine in a manager process (picklable).

    Args:
        proxy: the manager's proxy of the engine.
        engine: the engine itself (its ``name`` and ``reads_micro`` are copied).
    """

    package = "numpy"

    def __init__(self, proxy: Any, engine: BaseOCREngine) -> None:
        super().__init__()
        self.proxy = proxy
        self.name = engine.name
        self.reads_micro = engine.reads_micro

    def _load(self) -> None:
        """Nothing to load here: the engine loads in the manager process."""

    def _read(self, crop: np.ndarray, allowlist: str | None) -> OcrResult:
        return self.proxy.read(crop, allowlist)


@contextmanager
def shared_engine(
    cfg: BaseOCREngine | dict[str, Any] | str | None, context: BaseContext
) -> Iterator[BaseOCREngine | dict[str, Any] | str | None]:
    """What the processes of a pool should use for the OCR engine ``cfg`` (as
    :func:`~nanokit.ocr.build_engine` takes it): a :class:`SharedEngine` if the engine runs out
    of process, else ``cfg`` itself (each process then builds its own engine).

    The manager process and the engine's worker end with the block, or when this process dies.
    """
    engine = None if cfg is None else build_engine(cfg)
    if not isinstance(engine, OutOfProcessEngine):
        yield cfg
        return
    manager = _EngineManager(ctx=context)
    manager.start(initializer=exit_with_parent)
    try:
        proxy = manager.hold(engine)  # type: ignore[attr-defined]
        try:
            yield SharedEngine(proxy, engine)
        finally:
            proxy.close()
    finally:
        manager.shutdown()
