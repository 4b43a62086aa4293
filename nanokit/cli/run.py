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
    from ..apis.run import run_config, stages_to_run
    from .stage_summary import print_stage_summary

    quiet = ctx.obj["quiet"]
    cfg = run_config(
        config,
        work_dir=work_dir,
        overrides=parse_cfg_options(cfg_options),
        dry_run=dry_run,
        quiet=quiet,
        on_stage=None if quiet else print_stage_summary,
    )
    if dry_run:
        click.echo(cfg.pretty_text)
        click.echo(
            f"# stages: {' -> '.join(stages_to_run(cfg)) or 'none'}; work_dir: {cfg.work_dir}"
        )
