"""A plugin that fails to import gives one warning naming it and is skipped; the CLI still works."""

from __future__ import annotations

import sys
import warnings

import pytest
from click.testing import CliRunner

from nanokit import plugins as nanokit_plugins
from nanokit.cli.main import cli


@pytest.fixture
def broken_plugin(tmp_path, monkeypatch):
    """A fake installed distribution whose entry point names a module that raises on import."""
    dist = tmp_path / "nanokit_broken-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: nanokit-broken\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[nanokit.plugins]\nbroken = nanokit_broken_module\n")
    (tmp_path / "nanokit_broken_module.py").write_text("raise RuntimeError('boom at import')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv(nanokit_plugins.DISABLE_ENV, raising=False)
    monkeypatch.setattr(nanokit_plugins, "_loaded", None)
    yield
    sys.modules.pop("nanokit_broken_module", None)


def _ours(caught):
    return [
        w for w in caught if "nanokit_broken_module" in str(w.message) or "broken" in str(w.message)
    ]


def test_broken_plugin_warns_once_and_is_skipped(broken_plugin):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = nanokit_plugins.load_plugins(force=True)
        nanokit_plugins.load_plugins()  # cached: no second attempt, no second warning
    ours = _ours(caught)
    assert len(ours) == 1
    message = str(ours[0].message)
    assert "'broken'" in message and "nanokit-broken" in message and "boom at import" in message
    broken = [r for r in records if r.name == "broken"]
    assert len(broken) == 1 and not broken[0].ok


def test_cli_list_still_exits_zero_and_reports_the_failure(broken_plugin):
    # one registry keeps the test fast; the full listing also shows a PLUGINS section
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        result = CliRunner().invoke(cli, ["list", "ATTENTION"])
    assert result.exit_code == 0, result.output
    assert "CBAM" in result.output
    assert "1 plugin(s) failed to load" in result.output


def test_disabled_plugins_are_not_loaded(broken_plugin, monkeypatch):
    monkeypatch.setenv(nanokit_plugins.DISABLE_ENV, "1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert nanokit_plugins.load_plugins(force=True) == []
    assert not _ours(caught)
