"""The ``nanokit`` click group: global options, plugin loading, one-line errors."""

from __future__ import annotations

import importlib
from typing import Any

import click

from ..errors import NanokitError, first_line

#: command name -> "module:attribute" under nanokit.cli; imported only when the command runs.
COMMANDS: dict[str, str] = {
    "run": "run:run",
    "train": "train:train",
    "test": "test:test",
    "measure": "measure:measure",
    "remeasure": "remeasure:remeasure",
    "scalebar": "scalebar:scalebar",
    "bench-ocr": "bench_ocr:bench_ocr",
    "export": "export:export",
    "synth": "synth:synth",
    "convert": "convert:convert",
    "list": "list_components:list_components",
}


class NanokitGroup(click.Group):
    """Lazily imported sub-commands; exceptions become one line on stderr unless ``--debug``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name].split(":")
        return getattr(importlib.import_module(f"{__package__}.{module}"), attr)

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except NanokitError as exc:
            if debug:
                raise
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            raise click.Abort() from None
        except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback without --debug
            if debug:
                raise
            first = first_line(exc)
            raise click.ClickException(
                f"{type(exc).__name__}: {first} (rerun with --debug for the traceback)"
            ) from None


@click.group(cls=NanokitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nanokit")
@click.option("--debug", is_flag=True, help="Show Python tracebacks on errors.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """nanokit: calibrated nanoparticle size distributions from SEM/TEM micrographs."""
    ctx.obj = {"debug": debug, "quiet": quiet}
    if not debug:
        from ..utils.warning_lines import show_warnings_as_lines

        show_warnings_as_lines()
    if ctx.invoked_subcommand not in (None, "synth"):
        from ..plugins import load_plugins

        load_plugins()
