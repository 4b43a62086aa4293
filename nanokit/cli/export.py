"""``nanokit export CONFIG --out M.onnx``: ONNX export for fast CPU inference."""

from __future__ import annotations

import click

from ..errors import NotAvailableYetError


@click.command()
@click.argument("config", type=click.Path(dir_okay=False))
@click.option("--checkpoint", type=click.Path(dir_okay=False), help="Model weights.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="ONNX file to write.")
@click.option("--int8", is_flag=True, help="Static int8 quantisation.")
@click.option("--calib", type=click.Path(file_okay=False), help="Calibration images for --int8.")
def export(**kwargs: object) -> None:
    """Export CONFIG's model to ONNX (fp32 or static int8)."""
    raise NotAvailableYetError("nanokit export")
