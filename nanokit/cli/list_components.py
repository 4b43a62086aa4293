"""``nanokit list [REGISTRY]``: registered components and where they come from."""

from __future__ import annotations

import click


@click.command("list")
@click.argument("registry", required=False)
def list_components(registry: str | None) -> None:
    """Print every registry (or REGISTRY only) with its components and their packages."""
    from ..apis.components import describe_components

    click.echo(describe_components(registry))
