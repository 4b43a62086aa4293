"""``nanokit scalebar PATHS``: calibration only, one record per image."""

from __future__ import annotations

import json

import click


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--engine", type=str, default=None, help="OCR engine name (see nanokit list).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of records.")
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    help="Config whose calibration= section builds the calibration chain.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
def scalebar(
    ctx: click.Context,
    paths: tuple[str, ...],
    engine: str | None,
    as_json: bool,
    config: str | None,
    quiet: bool,
) -> None:
    """Calibrate each image in PATHS: manual, metadata and scale bar, in SPEC's order."""
    from ..apis.scalebar import calibrate_paths, format_table

    quiet = quiet or bool((ctx.obj or {}).get("quiet")) or as_json
    records = calibrate_paths(paths, engine=engine, quiet=quiet, config=config)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in records], indent=1, ensure_ascii=False))
    else:
        click.echo(format_table(records))
    if records and not any(r.ok for r in records):
        ctx.exit(1)
