"""Discovery of third-party components through the ``nanokit.plugins`` entry-point group.

Each entry point names a module; importing it registers its classes. Plugins are loaded once,
lazily (before the first build and before ``nanokit list``), never on ``import nanokit``.
``NANOKIT_DISABLE_PLUGINS=1`` turns autoloading off.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points, packages_distributions

from .errors import first_line

GROUP = "nanokit.plugins"
DISABLE_ENV = "NANOKIT_DISABLE_PLUGINS"


@dataclass(frozen=True)
class PluginRecord:
    """What happened when one entry point was loaded."""

    name: str
    module: str
    distribution: str
    ok: bool
    error: str = ""


_loaded: list[PluginRecord] | None = None


def _load_one(ep: EntryPoint) -> PluginRecord:
    dist = ep.dist.name if ep.dist is not None else "unknown"
    try:
        ep.load()
    except Exception as exc:  # noqa: BLE001 - any failure of third-party code is reported, not raised
        message = first_line(f"{type(exc).__name__}: {exc}")
        warnings.warn(
            f"nanokit plugin {ep.name!r} from {dist} failed to load and was skipped ({message})",
            RuntimeWarning,
            stacklevel=3,
        )
        return PluginRecord(ep.name, ep.value, dist, ok=False, error=message)
    return PluginRecord(ep.name, ep.value, dist, ok=True)


def load_plugins(force: bool = False) -> list[PluginRecord]:
    """Import every ``nanokit.plugins`` entry point once and say how each went.

    Args:
        force: load again even if plugins were loaded before (for tests).
    """
    global _loaded
    if _loaded is not None and not force:
        return _loaded
    if os.environ.get(DISABLE_ENV, "").strip() not in ("", "0"):
        _loaded = []
        return _loaded
    _distributions_by_package.cache_clear()
    _loaded = [_load_one(ep) for ep in entry_points(group=GROUP)]
    return _loaded


@cache
def _distributions_by_package() -> dict[str, list[str]]:
    return packages_distributions()


def origin_of(component: type) -> str:
    """The distribution that provides ``component`` ('nanokit' for core classes)."""
    top = component.__module__.split(".")[0]
    dists = _distributions_by_package().get(top)
    return dists[0] if dists else top
