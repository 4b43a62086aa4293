"""``nanokit convert labelme SRC DST``: annotation format conversion."""

from __future__ import annotations

import click


@click.group()
def convert() -> None:
    """Convert annotations into nanokit's mask format."""


@convert.command()
@click.argument("src", type=click.Path(exists=True))
@click.argument("dst", type=click.Path(file_okay=False))
@click.option(
    "--labels",
    default=None,
    metavar="A,B",
    help="Labels that mark particles (comma-separated); default: every label.",
)
@click.option("--instances", is_flag=True, help="Write uint16 instance ids instead of 0/255.")
@click.pass_context
def labelme(ctx: click.Context, src: str, dst: str, labels: str | None, instances: bool) -> None:
    """Labelme JSON polygons in SRC (a file or folder) -> mask PNGs DST/<name>.png."""
    from ..apis.convert import convert_labelme

    names = [s.strip() for s in labels.split(",") if s.strip()] if labels else None
    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    written = convert_labelme(src, dst, label_names=names, instances=instances, quiet=quiet)
    click.echo(f"wrote {len(written)} mask(s) to {dst}")
