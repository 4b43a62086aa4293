"""results.xlsx, read back with openpyxl."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nanokit.errors import NanokitError
from nanokit.report.excel import write_workbook


def test_workbook_holds_the_tables_calibration_and_statistics_in_um(
    disc_folder: Path, tmp_path: Path, run_measure
) -> None:
    out = tmp_path / "out"
    summary = run_measure([disc_folder], out, scale=2.5)
    book = load_workbook(out / "results.xlsx")
    assert book.sheetnames == ["images", "particles", "calibration", "summary"]
    with (out / "particles.csv").open(newline="", encoding="utf-8") as fh:
        particles = list(csv.DictReader(fh))
    sheet = list(book["particles"].values)
    assert sheet[0][:2] == ("image", "particle_id") and len(sheet) == len(particles) + 1
    first = dict(zip(sheet[0], sheet[1], strict=True))
    assert first["particle_id"] == int(particles[0]["particle_id"])
    assert first["ecd_nm"] == pytest.approx(float(particles[0]["ecd_nm"]))
    assert first["touches_border"] is (particles[0]["touches_border"] == "true")
    head, *rows = book["calibration"].values
    calibration = [dict(zip(head, row, strict=True)) for row in rows]
    assert [c["image"] for c in calibration] == ["img0.png", "img1.png", "img2.png"]
    assert {c["source"] for c in calibration} == {"manual"}
    assert {c["nm_per_px"] for c in calibration} == {2.5}

    path = write_workbook(out, summary, unit="um")
    head, pooled, *images = load_workbook(path)["summary"].values
    pooled = dict(zip(head, pooled, strict=True))
    assert pooled["sample"] == "all images pooled" and pooled["unit"] == "µm"
    assert pooled["n"] == summary["pooled"]["n"]
    assert pooled["mean"] == pytest.approx(summary["pooled"]["mean"] / 1000)
    assert pooled["d50 CI low"] == pytest.approx(summary["pooled"]["ci"]["d50"][0] / 1000)
    assert [row[0] for row in images] == ["img0.png", "img1.png", "img2.png"]


def test_an_unknown_unit_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NanokitError, match="--unit must be one of nm, um"):
        write_workbook(tmp_path, {}, unit="inch")
