"""``nanokit remeasure OUT``: recompute a run after corrections in Fiji or napari."""

from __future__ import annotations

import click

from .options import unit_option


@click.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@unit_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
def remeasure(ctx: click.Context, out: str, unit: str, quiet: bool) -> None:
    """Recompute the measure run in OUT from ROI sets (rois/*.zip, Fiji) or label images
    (masks/*.png, napari) edited by hand.

    Edited images are resized as drawn and flagged "corrected by hand"; images.csv,
    particles.csv, results.xlsx, overlays, histograms, summary.json and report.html are
    rewritten. An image whose edits cannot be used keeps its results and says why.
    """
    from ..apis.remeasure import remeasure as run_remeasure

    quiet = quiet or bool((ctx.obj or {}).get("quiet"))
    result = run_remeasure(out, unit=unit, quiet=quiet)
    for message in result.rejected:
        click.echo(f"edit rejected: {message}", err=True)
    pooled = result.summary["pooled"]
    mean = f"{pooled['mean']:.4g} {result.summary['unit']}" if pooled["mean"] is not None else "-"
    click.echo(
        f"{len(result.corrected)} images corrected by hand, {len(result.rejected)} rejected; "
        f"{pooled['n']} particles, mean ECD {mean}; report: {out}/report.html"
    )
