"""Exceptions that the CLI turns into one-line messages."""

from __future__ import annotations


class NanokitError(Exception):
    """A user-facing error: bad input, missing file, unavailable component."""


class MissingExtraError(NanokitError):
    """An optional dependency is not installed."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(f"{package} is not installed: pip install 'nanokit[{extra}]'")
        self.package = package
        self.extra = extra


class NotAvailableYetError(NanokitError):
    """A stage or command that this version of nanokit does not provide yet."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} is not available yet in nanokit {_version()}")


def first_line(text: object, default: str = "") -> str:
    """The first line of ``str(text)`` (an exception's message, say), surrounding blanks
    stripped; ``default`` where the text is blank."""
    lines = str(text).strip().splitlines()
    return lines[0] if lines else default


def _version() -> str:
    from . import __version__

    return __version__
