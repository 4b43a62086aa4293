"""``nanokit synth OUT --n N --seed S [--crowded SHARE] [--textured SHARE]
[--cubic SHARE] [--rods SHARE]``: synthetic SEM
images with truth."""

from __future__ import annotations

import click


@click.command()
@click.argument("out", type=click.Path(file_okay=False))
@click.option("--n", "n", type=int, default=10, show_default=True, help="Number of images.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--crowded",
    type=float,
    default=0.0,
    show_default=True,
    help="Share of crowded scenes: clumps of many touching and overlapping particles.",
)
@click.option(
    "--textured",
    type=float,
    default=0.0,
    show_default=True,
    help="Share of scenes whose particles have grainy insides (polycrystalline, porous).",
)
@click.option(
    "--cubic",
    type=float,
    default=0.0,
    show_default=True,
    help="Share of scenes whose particles are cube-like (squares with rounded corners).",
)
@click.option(
    "--rods",
    type=float,
    default=0.0,
    show_default=True,
    help="Share of scenes whose particles are rod-like (2-4.5 times as long as wide).",
)
@click.pass_context
def synth(ctx: click.Context, out: str, n: int, seed: int, **shares: float) -> None:
    """Write N synthetic SEM micrographs, instance masks and truth JSON to OUT."""
    from ..apis.synth import synthesize

    # shares: crowded, textured, cubic, rods
    paths = synthesize(out, n, seed, quiet=ctx.obj["quiet"], **shares)
    click.echo(f"wrote {len(paths)} images with masks and truth to {out}")
