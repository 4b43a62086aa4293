"""``nanokit run``: a config's stages in order."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
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


def run_config(
    config: str | Path | Config,
    work_dir: str | None = None,
    overrides: dict[str, Any] | None = None,
    stages: Sequence[str] | None = None,
    dry_run: bool = False,
    quiet: bool = False,
) -> Config:
    """Run ``stages`` (default: the config's ``stages``) and return the resolved config."""
    cfg = resolve_config(config, work_dir, overrides)
    todo = list(stages if stages is not None else cfg.get("stages", []))
    unknown = [s for s in todo if s not in STAGES]
    if unknown:
        raise NanokitError(f"unknown stage(s) {unknown}; known: {', '.join(STAGES)}")
    if dry_run:
        click.echo(cfg.pretty_text)
        click.echo(f"# stages: {' -> '.join(todo) or 'none'}; work_dir: {cfg.work_dir}")
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
        module.run_stage(cfg, quiet=quiet)
    return cfg
