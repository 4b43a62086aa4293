"""How many threads a network may use in this process: the library's default (every core), or
the share of the cores that one of ``measure``'s worker processes gets."""

from __future__ import annotations

import os

_share: int | None = None


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the OS reports one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def share_cores(workers: int) -> None:
    """Give the networks of this process 1/``workers`` of the cores (at least one thread):
    ``workers`` processes that each ran every core would fight over them."""
    global _share
    _share = max(1, available_cores() // max(1, workers))


def inference_threads() -> int | None:
    """Intra-op threads for a backend built with ``threads=None``: this process's share of the
    cores (:func:`share_cores`), or None where none was set (the library's own default)."""
    return _share
