"""The example plugin, installed for real with pip, registers SimAM through its entry point."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch
from click.testing import CliRunner

from nanokit import build_model
from nanokit import plugins as nanokit_plugins
from nanokit.cli.main import cli
from nanokit.registry import ATTENTION

from .install_copy import install_copy

UNET = Path(__file__).resolve().parents[2] / "configs" / "models" / "unet.py"


@pytest.fixture
def installed_example(tmp_path, monkeypatch):
    """pip-installs a copy of plugins/nanokit-example into tmp_path and puts it on sys.path."""
    target = install_copy("nanokit-example", tmp_path)
    monkeypatch.syspath_prepend(str(target))
    monkeypatch.delenv(nanokit_plugins.DISABLE_ENV, raising=False)
    monkeypatch.setattr(nanokit_plugins, "_loaded", None)
    yield target
    ATTENTION._module_dict.pop("SimAM", None)
    for name in [m for m in sys.modules if m.split(".")[0] == "nanokit_example"]:
        del sys.modules[name]


def test_plugin_is_discovered_and_listed_with_its_package(installed_example):
    records = nanokit_plugins.load_plugins(force=True)
    example = [r for r in records if r.name == "example"]
    assert example and example[0].ok and example[0].module == "nanokit_example"
    assert "SimAM" in ATTENTION.module_dict
    result = CliRunner().invoke(cli, ["list", "ATTENTION"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "SimAM" in line)
    assert line.split()[-1] == "nanokit-example"
    cbam = next(line for line in result.output.splitlines() if line.split()[0] == "CBAM")
    assert cbam.split()[-1] == "nanokit"


def test_decoder_uses_the_plugin_attention_from_a_config(installed_example, tmp_path):
    config = tmp_path / "unet_simam.py"
    config.write_text(
        f"_base_ = [{str(UNET)!r}]\n"
        "model = dict(\n"
        "    backbone=dict(channels=(8, 16, 32)),\n"
        "    decoder=dict(channels=(16, 8), attention=dict(_delete_=True, type='SimAM')),\n"
        ")\n"
    )
    model = build_model(config).eval()  # build() loads plugins itself
    attention = model.decoder.stages[0].attention
    assert type(attention).__name__ == "SimAM"
    assert type(attention).__module__ == "nanokit_example.simam"
    x = torch.randn(1, 16, 8, 8)
    weights = attention(x) / x
    assert bool((weights > 0).all()) and bool((weights < 1).all())
    with torch.no_grad():
        assert model(torch.rand(1, 3, 64, 80)).shape == (1, 2, 64, 80)
