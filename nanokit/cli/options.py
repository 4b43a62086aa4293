"""Click options shared by several commands."""

from __future__ import annotations

from typing import Any

import click

from ..errors import NanokitError


def parse_cfg_options(values: tuple[str, ...]) -> dict[str, Any]:
    """Turn ``key=value`` strings into a dict, values parsed as Python literals where they can be.

    ``model.decoder.attention.type=SE``, ``train_cfg.max_epochs=3``, ``data.crop=[256,256]``.
    """
    import ast

    parsed: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise NanokitError(f"--cfg-options expects key=value, got {item!r}")
        try:
            parsed[key] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            parsed[key] = raw
    return parsed


cfg_options = click.option(
    "--cfg-options",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a config value, e.g. --cfg-options train_cfg.max_epochs=2 (repeatable).",
)
work_dir = click.option(
    "--work-dir", type=click.Path(file_okay=False), default=None, help="Where outputs go."
)
unit_option = click.option(
    "--unit",
    type=click.Choice(["nm", "um"]),
    default="nm",
    show_default=True,
    help="Unit of the summary statistics in results.xlsx (nm or um).",
)
