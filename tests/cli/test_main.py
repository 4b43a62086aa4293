"""The click group: help, list, run --dry-run, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nanokit.apis import run as run_api
from nanokit.cli.main import COMMANDS, cli
from nanokit.registry import REGISTRIES

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_help_lists_every_spec_command(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in (
        "run",
        "train",
        "test",
        "measure",
        "scalebar",
        "bench-ocr",
        "export",
        "synth",
        "convert",
        "list",
    ):
        assert name in COMMANDS
        assert f"  {name} " in result.output


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_has_help(runner: CliRunner, name: str) -> None:
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_list_shows_all_registries(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["list"])
    assert result.exit_code == 0, result.output
    for name in REGISTRIES:
        assert any(line.startswith(f"{name} (") for line in result.output.splitlines())


def test_list_one_registry_and_unknown_registry(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["list", "attention"])
    assert result.exit_code == 0
    assert result.output.startswith("ATTENTION (")
    bad = runner.invoke(cli, ["list", "nope"])
    assert bad.exit_code == 1
    assert bad.output.strip().startswith("Error: unknown registry 'nope'")
    assert "Traceback" not in bad.output


def test_run_dry_run_prints_resolved_config_with_overrides(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        [
            "run",
            str(REPO / "configs" / "paper.py"),
            "--dry-run",
            "--cfg-options",
            "max_epochs=7",
            "--cfg-options",
            "work_dir=/tmp/nk_dry",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "max_epochs = 7" in result.output
    assert "work_dir: /tmp/nk_dry" in result.output
    assert "stages: train -> test -> measure" in result.output


def test_quickstart_inherits_paper(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["run", str(REPO / "configs" / "quickstart.py"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "type='EncoderDecoder'" in result.output  # from paper.py's model base


def test_missing_config_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["run", str(tmp_path / "absent.py"), "--dry-run"])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: config file not found: {tmp_path / 'absent.py'}"


def test_bad_cfg_option_is_one_line_error(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["run", str(REPO / "configs" / "paper.py"), "--dry-run", "--cfg-options", "oops"]
    )
    assert result.exit_code == 1
    assert "expects key=value" in result.output


def test_unbuilt_stage_says_not_available(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(run_api.STAGES, "train", "no_such_stage_module")
    cfg = tmp_path / "c.py"
    cfg.write_text("stages = ['train']\n")
    result = runner.invoke(cli, ["run", str(cfg), "--work-dir", str(tmp_path / "w")])
    assert result.exit_code == 1
    assert "'train' stage is not available yet" in result.output


def test_unexpected_exception_is_one_line_unless_debug(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise ValueError("kaboom\nsecond line")

    monkeypatch.setattr(run_api, "load_config", boom)
    cfg = tmp_path / "c.py"
    cfg.write_text("stages = []\n")
    result = runner.invoke(cli, ["run", str(cfg), "--dry-run"])
    assert result.exit_code == 1
    assert (
        result.output.strip() == "Error: ValueError: kaboom (rerun with --debug for the traceback)"
    )
    debug = runner.invoke(cli, ["--debug", "run", str(cfg), "--dry-run"])
    assert isinstance(debug.exception, ValueError)
