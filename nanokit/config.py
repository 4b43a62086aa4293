"""Loading mmengine Python configs with ``--cfg-options`` style overrides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mmengine.config import Config

from .errors import NanokitError, first_line

ConfigLike = Config | dict | str | Path


def load_config(cfg: ConfigLike, overrides: dict[str, Any] | None = None) -> Config:
    """Return an mmengine ``Config`` from a Config, a dict or a path to a Python config.

    Args:
        cfg: the config or where it is.
        overrides: dotted keys to set, as ``--cfg-options`` gives them (``model.decoder.attention.type``).
    """
    if isinstance(cfg, Config):
        config = cfg
    elif isinstance(cfg, dict):
        config = Config(cfg)
    else:
        path = Path(cfg)
        if not path.is_file():
            raise NanokitError(f"config file not found: {path}")
        try:
            config = Config.fromfile(str(path))
        except Exception as exc:  # noqa: BLE001 - mmengine raises many types for a bad file
            raise NanokitError(first_line(f"cannot load config {path}: {exc}")) from exc
    if overrides:
        config.merge_from_dict(overrides)
    return config
