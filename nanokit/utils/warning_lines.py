"""Warnings shown as one line each, as the command line shows errors."""

from __future__ import annotations

import contextlib
import sys
import warnings
from typing import Any, TextIO

from ..errors import first_line


def show_warnings_as_lines() -> None:
    """Show every warning of this process as ``Warning: <its first line>`` on stderr, without
    the file, line and source line that Python adds (they mean nothing to a user)."""
    warnings.showwarning = _show


def _show(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
    **_: Any,
) -> None:
    stream = file if file is not None else sys.stderr
    with contextlib.suppress(OSError, ValueError):  # stderr closed: not worth an error
        stream.write(f"Warning: {first_line(message, category.__name__)}\n")
