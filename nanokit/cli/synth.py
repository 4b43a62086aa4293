"""``nanokit synth OUT --n N --seed S``: synthetic SEM images with truth."""

from __future__ import annotations

import click

from ..errors import NotAvailableYetError


@click.command()
@click.argument("out", type=click.Path(file_okay=False))
@click.option("--n", "n", type=int, default=10, show_default=True, help="Number of images.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
def synth(out: str, n: int, seed: int) -> None:
    """Write N synthetic SEM micrographs, instance masks and truth JSON to OUT."""
    raise NotAvailableYetError("nanokit synth")
