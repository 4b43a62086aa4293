"""``nanokit measure PATHS --out D``: images -> calibrated particle sizes."""

from __future__ import annotations

import click

from ..inference.select import INFERENCE_CHOICES
from .options import unit_option


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--config", type=click.Path(dir_okay=False), help="Config with a trained model.")
@click.option("--checkpoint", type=click.Path(dir_okay=False), help="Model weights.")
@click.option(
    "--segmenter",
    metavar="NAME",
    help="SEGMENTERS type that segments (e.g. ClassicalSegmenter, or short: classical), instead "
    "of the config's measure.segmenter; with --checkpoint, the one that runs the network. "
    "Default: instance (the network shipped with nanokit). 'nanokit list segmenters' shows "
    "them.",
)
@click.option("--scale", type=str, help="nm per pixel, or a CSV mapping image -> nm_per_px.")
@click.option("--scalebar", type=click.Choice(["auto", "off"]), default="auto", show_default=True)
@click.option("--workers", type=int, default=1, show_default=True, help="Parallel images.")
@click.option(
    "--backend",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Processes on this machine, or tasks on a dask cluster (see docs/scale-out.md).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Dask scheduler, e.g. tcp://host:8786 (default: a local cluster of --workers).",
)
@click.option(
    "--inference",
    type=click.Choice(INFERENCE_CHOICES),
    help="How the network runs (the default segmenter's, or a trained --checkpoint): auto = "
    "the fastest backend for this CPU that matches fp32 (docs/inference.md), onnx = ONNX "
    "Runtime fp32, torch = PyTorch. Default: the config's setting, else auto.",
)
@unit_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
def measure(
    ctx: click.Context,
    paths: tuple[str, ...],
    out: str,
    config: str | None,
    checkpoint: str | None,
    segmenter: str | None,
    scale: str | None,
    scalebar: str,
    workers: int,
    backend: str,
    scheduler: str | None,
    inference: str | None,
    unit: str,
    quiet: bool,
) -> None:
    """Measure particle sizes in images or folders PATHS; resumable.

    Writes images.csv, particles.csv, results.xlsx, masks/, rois/ and fiji/ (for Fiji),
    overlays/, histogram.png, summary.json and report.html into --out. A re-run with the same
    --out skips the images already done.
    """
    from ..apis.measure import measure as run_measure

    quiet = quiet or bool((ctx.obj or {}).get("quiet"))
    summary = run_measure(
        paths,
        out,
        config=config,
        checkpoint=checkpoint,
        scale=scale,
        scalebar=scalebar,
        workers=workers,
        quiet=quiet,
        backend=backend,
        scheduler=scheduler,
        inference=inference,
        segmenter=segmenter,
        unit=unit,
    )
    counts = ", ".join(f"{n} {status}" for status, n in summary["status_counts"].items())
    pooled = summary["pooled"]
    mean = f"{pooled['mean']:.4g} {summary['unit']}" if pooled["mean"] is not None else "-"
    click.echo(
        f"{summary['n_images']} images ({counts}); {pooled['n']} particles, mean ECD {mean}; "
        f"report: {out}/report.html"
    )
