"""``nanokit export``: warnings, written files, one-line errors."""

from __future__ import annotations

import pprint

import pytest
from click.testing import CliRunner

from nanokit.cli.main import cli


@pytest.fixture
def tiny_config(tmp_path, tiny_model_cfg):
    path = tmp_path / "tiny.py"
    path.write_text(f"model = {pprint.pformat(tiny_model_cfg)}\n")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, ["export", *map(str, args)])


@pytest.mark.slow
def test_export_without_checkpoint_warns_and_writes(tiny_config, tmp_path):
    out = tmp_path / "model.onnx"
    result = run(tiny_config, "--out", out)
    assert result.exit_code == 0, result.output
    assert "Warning: no --checkpoint given" in result.stderr
    assert "fp32" in result.stdout and "mask agreement 100.00 %" in result.stdout
    assert out.stat().st_size > 1000


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "model.txt"], "must name an .onnx file"),
        (["--out", "m.onnx", "--int8"], "--int8 needs --calib"),
        (["--out", "m.onnx", "--int8", "--calib", "missing_dir"], "calibration folder not found"),
        (["--out", "m.onnx", "--checkpoint", "missing.safetensors"], "weights file not found"),
    ],
)
def test_bad_arguments_are_one_line_errors(tiny_config, extra, message):
    result = run(tiny_config, *extra)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_config_is_one_line_error(tmp_path):
    result = run(tmp_path / "nope.py", "--out", tmp_path / "m.onnx")
    assert result.exit_code == 1
    assert "config file not found" in result.stderr


@pytest.mark.parametrize("bar", [0.0, 1.01])
def test_int8_export_of_weights_is_registered_for_auto_when_it_passes(
    tiny_config, tiny_segmentor, tmp_path, monkeypatch, blobs, bar
):
    import cv2

    from nanokit.apis import export as export_api
    from nanokit.inference.select import int8_cache_path
    from nanokit.utils.checkpoint import save_weights

    monkeypatch.setenv("HOME", str(tmp_path))  # the default cache folder lives in HOME ...
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)  # ... unless this moves it
    monkeypatch.setattr(export_api, "INT8_MIN_AGREEMENT", bar)  # pass / fail the check
    checkpoint = save_weights(tiny_segmentor, tmp_path / "tiny.safetensors")
    (tmp_path / "calib").mkdir()
    for seed in range(2):
        cv2.imwrite(str(tmp_path / "calib" / f"{seed}.png"), blobs(96, 128, seed))
    out = tmp_path / "m.onnx"
    result = run(
        tiny_config,
        "--checkpoint",
        checkpoint,
        "--out",
        out,
        "--int8",
        "--calib",
        tmp_path / "calib",
    )
    assert result.exit_code == 0, result.output
    registered = int8_cache_path(tiny_config, checkpoint)
    assert registered.is_file() == (bar == 0.0)
    assert ("registered for measure.inference 'auto'" in result.stdout) == (bar == 0.0)
