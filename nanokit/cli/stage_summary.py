"""What ``nanokit run``, ``train`` and ``test`` print once a stage has finished."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from mmengine.config import Config


def print_stage_summary(stage: str, cfg: Config, result: Any) -> None:
    """One line for the ``test`` stage (its metrics and where they went); nothing for others."""
    if stage != "test":
        return
    m = result["metrics"]
    click.echo(
        f"test on {m['n_images']} images: IoU {m['IoU']:.4f}  precision {m['Precision']:.4f}  "
        f"recall {m['Recall']:.4f}  F1 {m['F1']:.4f} -> {Path(cfg.work_dir) / 'metrics.json'}"
    )
