"""``nanokit run CONFIG``: run the stages a config lists, in order."""

from __future__ import annotations

import click

from .options import cfg_options, parse_cfg_options, work_dir


@click.command()
@click.argument("config", type=click.Path(dir_okay=False))
@work_dir
@cfg_options
@click.option("--dry-run", is_flag=True, help="Print the resolved config and stop.")
@click.pass_context
def run(
    ctx: click.Context,
    config: str,
    work_dir: str | None,
    cfg_options: tuple[str, ...],
    dry_run: bool,
) -> None:
    """Run CONFIG's stages (train, test, measure) in order."""
    from ..apis.run import run_config

    run_config(
        config,
        work_dir=work_dir,
        overrides=parse_cfg_options(cfg_options),
        dry_run=dry_run,
        quiet=ctx.obj["quiet"],
    )
