"""``nanokit test CONFIG --checkpoint C``: the evaluation stage alone."""

from __future__ import annotations

import click

from .options import cfg_options, parse_cfg_options, work_dir


@click.command()
@click.argument("config", type=click.Path(dir_okay=False))
@click.option("--checkpoint", required=True, type=click.Path(dir_okay=False), help="Weights.")
@work_dir
@cfg_options
@click.pass_context
def test(
    ctx: click.Context,
    config: str,
    checkpoint: str,
    work_dir: str | None,
    cfg_options: tuple[str, ...],
) -> None:
    """Evaluate CONFIG's model with CHECKPOINT on its test split (metrics.json, per-image table)."""
    from ..apis.run import run_config
    from .stage_summary import print_stage_summary

    overrides = parse_cfg_options(cfg_options)
    overrides["load_from"] = checkpoint
    quiet = ctx.obj["quiet"]
    run_config(
        config,
        work_dir=work_dir,
        overrides=overrides,
        stages=["test"],
        quiet=quiet,
        on_stage=None if quiet else print_stage_summary,
    )
