"""``nanokit run``: a config's stages in order."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mmengine.config import Config

from ..config import load_config
from ..errors import NanokitError, NotAvailableYetError

#: stage name -> module under nanokit.apis exposing ``run_stage(cfg, quiet=...)``.
STAGES: dict[str, str] = {"train": "train", "test": "evaluate", "measure": "measure"}


def resolve_config(
    config: str | Path | Config,
    work_dir: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> Config:
    """Load ``config``, apply overrides and settle ``work_dir`` (default ``work_dirs/<name>``)."""
    cfg = load_config(config, overrides)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif not cfg.get("work_dir"):
        name = Path(config).stem if isinstance(config, (str, Path)) else "nanokit"
        cfg.work_dir = str(Path("work_dirs") / name)
    return cfg


def stages_to_run(cfg: Config, stages: Sequence[str] | None = None) -> list[str]:
    """``stages`` (default: the config's ``stages``), checked against :data:`STAGES`."""
    todo = list(stages if stages is not None else cfg.get("stages", []))
    unknown = [s for s in todo if s not in STAGES]
    if unknown:
        raise NanokitError(f"unknown stage(s) {unknown}; known: {', '.join(STAGES)}")
    return todo


def run_config(
    config: str | Path | Config,
    work_dir: str | None = None,
    overrides: dict[str, Any] | None = None,
    stages: Sequence[str] | None = None,
    dry_run: bool = False,
    quiet: bool = False,
    on_stage: Callable[[str, Config, Any], None] | None = None,
) -> Config:
    """Run ``stages`` (default: the config's ``stages``) and return the resolved config.

    Args:
        dry_run: resolve the config and check its stages, run nothing.
        on_stage: called with each stage's name, the config and the stage's result once it
            has finished (the CLI prints its summary there).
    """
    cfg = resolve_config(config, work_dir, overrides)
    todo = stages_to_run(cfg, stages)
    if dry_run:
        return cfg
    if not todo:
        raise NanokitError("the config lists no stages; set stages = ['train', 'test', 'measure']")
    for stage in todo:
        try:
            module = importlib.import_module(f"{__package__}.{STAGES[stage]}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{STAGES[stage]}":
                raise
            raise NotAvailableYetError(f"the {stage!r} stage") from None
        result = module.run_stage(cfg, quiet=quiet)
        if on_stage is not None:
            on_stage(stage, cfg, result)
    return cfg
