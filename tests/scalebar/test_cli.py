"""``nanokit scalebar``: JSON records and the readable table."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from nanokit.cli.main import cli

SPEC_KEYS = [
    "image",
    "ok",
    "error",
    "value",
    "unit",
    "value_nm",
    "bar_px",
    "nm_per_px",
    "text",
    "engine",
    "source",
    "label_bbox",
    "bar_endpoints",
    "confidence",
]


@pytest.mark.ocr
def test_json_records(shared_data, tmp_path) -> None:
    images = shared_data / "scalebars/images"
    args = ["scalebar", "--json", str(images / "sembar__Zeiss_3.tif"), str(tmp_path / "x.png")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [r["image"] for r in records] == ["sembar__Zeiss_3.tif", "x.png"]
    assert all(key in records[0] for key in SPEC_KEYS)
    assert records[0]["ok"] and records[0]["source"] == "metadata"
    assert records[0]["value"] == 200 and records[0]["unit"] == "nm"
    assert not records[1]["ok"] and "not found" in records[1]["error"]


def test_table_and_exit_code(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["--quiet", "scalebar", str(tmp_path / "missing.png")])
    assert result.exit_code == 1
    assert "missing.png" in result.output and "not found" in result.output


def test_unknown_engine_is_one_line(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["scalebar", "--engine", "nope", str(tmp_path / "a.png")])
    assert result.exit_code == 1
    assert "nope" in result.output and "Traceback" not in result.output


def test_an_empty_folder_is_one_error(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["scalebar", str(tmp_path)])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith("Error: no images (.tif") and line.endswith(f"in folder {tmp_path}")
