"""``nanokit synth`` on the command line."""

from __future__ import annotations

import json

import cv2
import numpy as np
from click.testing import CliRunner

from nanokit.cli.main import cli


def test_synth_writes_n_samples(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["--quiet", "synth", str(tmp_path), "--n", "2", "--seed", "4"])
    assert result.exit_code == 0, result.output
    images = sorted((tmp_path / "images").glob("*.png"))
    assert len(images) == 2
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert index["n"] == 2 and len(index["samples"]) == 2
    for entry in index["samples"]:
        mask = cv2.imread(str(tmp_path / entry["mask"]), cv2.IMREAD_UNCHANGED)
        truth = json.loads((tmp_path / entry["truth"]).read_text(encoding="utf-8"))
        assert mask.dtype == np.uint16 and int(mask.max()) == len(truth["particles"])
        assert truth["image"] == f"{entry['id']}.png"


def test_synth_rejects_non_positive_n(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["synth", str(tmp_path), "--n", "0"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and "--n" in lines[0]
    assert "Traceback" not in result.output


def test_synth_crowded_share_reaches_the_scenes(tmp_path) -> None:
    args = ["--quiet", "synth", str(tmp_path), "--n", "2", "--seed", "4", "--crowded", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    for truth in sorted((tmp_path / "truth").glob("*.json")):
        assert json.loads(truth.read_text(encoding="utf-8"))["scene"]["crowded"] is True
    bad = CliRunner().invoke(cli, ["synth", str(tmp_path), "--crowded", "2"])
    assert bad.exit_code == 1 and bad.output.startswith("Error:") and "crowded" in bad.output


def test_synth_shape_shares_reach_the_scenes(tmp_path) -> None:
    args = ["--quiet", "synth", str(tmp_path), "--n", "2", "--seed", "4"]
    result = CliRunner().invoke(cli, [*args, "--cubic", "0.5", "--rods", "0.5"])
    assert result.exit_code == 0, result.output
    scenes = [json.loads(p.read_text())["scene"] for p in sorted((tmp_path / "truth").iterdir())]
    assert sorted((s["cubic"], s["rods"]) for s in scenes) == [(False, True), (True, False)]
    bad = CliRunner().invoke(cli, [*args, "--cubic", "1", "--rods", "1"])
    assert bad.exit_code == 1 and bad.output.startswith("Error:") and "over 1" in bad.output
