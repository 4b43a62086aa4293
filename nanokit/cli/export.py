"""``nanokit export CONFIG --out M.onnx``: ONNX export for fast CPU inference."""

from __future__ import annotations

import warnings
from pathlib import Path

import click

#: warnings raised from nanokit's own code are shown as "Warning: ..." lines; others are dropped.
PACKAGE_DIR = str(Path(__file__).resolve().parents[1])


@click.command()
@click.argument("config", type=click.Path(dir_okay=False))
@click.option("--checkpoint", type=click.Path(dir_okay=False), help="Model weights.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="ONNX file to write.")
@click.option("--int8", is_flag=True, help="Static int8 quantisation.")
@click.option("--calib", type=click.Path(file_okay=False), help="Calibration images for --int8.")
@click.option(
    "--exporter",
    type=click.Choice(["torchscript", "dynamo"]),
    default="torchscript",
    show_default=True,
    help="torch's tracing exporter (seconds) or torch.export (exact control flow, slow).",
)
def export(
    config: str, checkpoint: str | None, out: str, int8: bool, calib: str | None, exporter: str
) -> None:
    """Export CONFIG's model to ONNX (fp32 or static int8)."""
    from ..apis.export import export_model

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = export_model(
            config, out, checkpoint=checkpoint, int8=int8, calib=calib, exporter=exporter
        )
    for warning in caught:
        if str(Path(warning.filename).resolve()).startswith(PACKAGE_DIR):
            click.echo(f"Warning: {warning.message}", err=True)
    click.echo(report.summary())
