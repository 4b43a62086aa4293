"""``nanokit bench-ocr``: OCR engines compared on labelled scale bars."""

from __future__ import annotations

import click


@click.command("bench-ocr")
@click.option("--engines", type=str, default=None, help="Comma-separated engine names.")
@click.option("--data", type=click.Path(file_okay=False), default=None, help="Labelled images.")
@click.option(
    "--synthetic",
    type=int,
    default=20,
    show_default=True,
    help="Synthetic images added when --data is not given (0 = none).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default="work_dirs/bench_ocr",
    show_default=True,
    help="Folder for the CSV and Markdown tables.",
)
@click.pass_context
def bench_ocr(
    ctx: click.Context, engines: str | None, data: str | None, synthetic: int, out: str
) -> None:
    """Accuracy and speed of each OCR engine on labelled scale bars.

    By default: the real images in the shared data folder (when present) plus synthetic ones.
    """
    from ..apis.bench_ocr import run_bench
    from ..ocr_bench.tables import markdown_table

    names = [n.strip() for n in engines.split(",") if n.strip()] if engines else None
    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    rows, out_dir = run_bench(names, data, synthetic, out, quiet)
    click.echo(markdown_table(rows))
    click.echo(f"tables written to {out_dir}")
