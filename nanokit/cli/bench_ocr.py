"""``nanokit bench-ocr``: OCR engines compared on labelled scale bars."""

from __future__ import annotations

import click

from ..errors import NotAvailableYetError


@click.command("bench-ocr")
@click.option("--engines", type=str, default=None, help="Comma-separated engine names.")
@click.option("--data", type=click.Path(file_okay=False), default=None, help="Labelled images.")
def bench_ocr(**kwargs: object) -> None:
    """Accuracy and speed of each OCR engine on labelled scale bars."""
    raise NotAvailableYetError("nanokit bench-ocr")
