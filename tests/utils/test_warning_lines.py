"""Warnings on the command line: one line each, like its errors."""

from __future__ import annotations

import warnings

import pytest

from nanokit.utils.warning_lines import show_warnings_as_lines


def test_a_warning_is_one_line_without_file_or_source(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)  # restored afterwards
    show_warnings_as_lines()
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn(
            "text detector in fp32: no int8 model\nsecond line", UserWarning, stacklevel=1
        )
    assert capsys.readouterr().err == "Warning: text detector in fp32: no int8 model\n"
