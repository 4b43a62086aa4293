"""first_line: the one line of a message that errors and statuses show."""

from __future__ import annotations

from nanokit.errors import first_line


def test_first_line_of_an_exception_or_a_text() -> None:
    assert first_line(ValueError("bad value\n  detail\n")) == "bad value"
    assert (
        first_line("\n  cannot load config x.py: oops\nTraceback")
        == "cannot load config x.py: oops"
    )
    assert first_line(RuntimeError()) == ""
    assert first_line(RuntimeError("  \n"), "RuntimeError") == "RuntimeError"
