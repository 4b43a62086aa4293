"""``nanokit scalebar PATHS``: calibration only, one record per image."""

from __future__ import annotations

import click

from ..errors import NotAvailableYetError


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--engine", type=str, default=None, help="OCR engine name (see nanokit list).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of records.")
def scalebar(**kwargs: object) -> None:
    """Read the scale bar (and metadata) of each image in PATHS."""
    raise NotAvailableYetError("nanokit scalebar")
