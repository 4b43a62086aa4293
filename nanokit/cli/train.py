"""``nanokit train CONFIG``: the training stage alone."""

from __future__ import annotations

import click

from .options import cfg_options, parse_cfg_options, work_dir


@click.command()
@click.argument("config", type=click.Path(dir_okay=False))
@work_dir
@cfg_options
@click.option(
    "--launcher",
    type=click.Choice(["none", "pytorch"]),
    default=None,
    help="pytorch: one process per device under torchrun (DDP; see docs/scale-out.md).",
)
@click.pass_context
def train(
    ctx: click.Context,
    config: str,
    work_dir: str | None,
    cfg_options: tuple[str, ...],
    launcher: str | None,
) -> None:
    """Train the model that CONFIG describes."""
    from ..apis.run import run_config

    overrides = parse_cfg_options(cfg_options)
    if launcher is not None:
        overrides["launcher"] = launcher
    run_config(
        config,
        work_dir=work_dir,
        overrides=overrides,
        stages=["train"],
        quiet=ctx.obj["quiet"],
    )
