"""``nanokit convert labelme SRC DST``: annotation format conversion."""

from __future__ import annotations

import click

from ..errors import NotAvailableYetError


@click.group()
def convert() -> None:
    """Convert annotations into nanokit's mask format."""


@convert.command()
@click.argument("src", type=click.Path(exists=True))
@click.argument("dst", type=click.Path(file_okay=False))
def labelme(src: str, dst: str) -> None:
    """Labelme JSON polygons in SRC -> mask PNGs in DST."""
    raise NotAvailableYetError("nanokit convert labelme")
