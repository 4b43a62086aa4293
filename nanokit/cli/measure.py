"""``nanokit measure PATHS --out D``: images -> calibrated particle sizes."""

from __future__ import annotations

import click

from ..errors import NotAvailableYetError


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--config", type=click.Path(dir_okay=False), help="Config with a trained model.")
@click.option("--checkpoint", type=click.Path(dir_okay=False), help="Model weights.")
@click.option("--scale", type=str, help="nm per pixel, or a CSV mapping image -> nm_per_px.")
@click.option("--scalebar", type=click.Choice(["auto", "off"]), default="auto", show_default=True)
@click.option("--workers", type=int, default=1, show_default=True, help="Parallel images.")
def measure(**kwargs: object) -> None:
    """Measure particle sizes in images or folders PATHS; resumable."""
    raise NotAvailableYetError("nanokit measure")
