"""bench-ocr: truth loading, scoring (failures vs silently wrong), tables, CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from nanokit.calibration.record import CalibrationRecord
from nanokit.cli.main import cli
from nanokit.errors import NanokitError
from nanokit.ocr.engines.base import BaseOCREngine, OcrResult
from nanokit.ocr_bench.data import LabelledImage, load_labelled
from nanokit.ocr_bench.scoring import bench_ocr, engine_names
from nanokit.registry import OCR_ENGINES


class FakeEngine(BaseOCREngine):
    name = "fake"
    package = "numpy"
    extra = "fake"

    def _load(self) -> None:
        pass

    def _read(self, crop: np.ndarray, allowlist: str | None) -> OcrResult:
        return OcrResult("", (0, 0, crop.shape[1], crop.shape[0]), 1.0)


class AbsentEngine(FakeEngine):
    name = "absent"
    package = "no_such_ocr_library"
    extra = "absent"


@pytest.fixture
def fake_engines():
    for cls in (FakeEngine, AbsentEngine):
        OCR_ENGINES.register_module(module=cls)
    yield
    for cls in (FakeEngine, AbsentEngine):
        OCR_ENGINES._module_dict.pop(cls.__name__)


def fake_reader(image: np.ndarray, engine: BaseOCREngine) -> CalibrationRecord:
    """Reads the answer encoded in the image's first pixel: 0 right, 1 wrong by 5 %, 2 fails."""
    kind = int(image[0, 0])
    if kind == 2:
        return CalibrationRecord(image="", error="no bar")
    nm_per_px = 2.0 * (1.05 if kind == 1 else 1.0)
    return CalibrationRecord(
        image="", ok=True, value=200.0, unit="nm", nm_per_px=nm_per_px, text="200 nm"
    )


def labelled(kind: int, source: str = "real") -> LabelledImage:
    image = np.full((64, 64), kind, np.uint8)
    return LabelledImage(f"im{kind}.png", source, "200nm", 200.0, "nm", 2.0, image=image)


def test_scores_separate_failures_from_silently_wrong(fake_engines: None) -> None:
    images = [labelled(0), labelled(0), labelled(1), labelled(2), labelled(0, "synthetic")]
    rows, results = bench_ocr(images, ["fake", "absent"], reader=fake_reader, quiet=True)
    by = {(r.engine, r.data): r for r in rows}
    real = by["fake", "real"]
    assert (real.images, real.failures, real.silently_wrong) == (4, 1, 1)
    assert real.nm_per_px_1pct == 50.0 and real.value_unit_pct == 75.0
    assert real.exact_text_pct == 75.0 and real.ms_per_image is not None
    assert by["fake", "synthetic"].nm_per_px_1pct == 100.0
    assert by["absent", "real"].status.startswith("not installed")
    assert by["absent", "real"].images == 0 and len(results) == 5


def test_unknown_engine_is_a_one_line_error() -> None:
    with pytest.raises(NanokitError, match="unknown OCR engine"):
        engine_names(["nope"])


def test_an_unknown_engine_stops_bench_ocr_before_its_images_are_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nanokit.apis import bench_ocr as api

    def no_images(*args: object, **kwargs: object) -> None:
        raise AssertionError("images made before the engines were checked")

    monkeypatch.setattr(api, "default_images", no_images)
    with pytest.raises(NanokitError, match="unknown OCR engine"):
        api.run_bench(engines=["nope"])


def write_real_folder(root: Path) -> Path:
    import cv2

    (root / "images").mkdir(parents=True)
    for kind in (0, 1, 2):
        cv2.imwrite(str(root / "images" / f"im{kind}.png"), np.full((64, 64), kind, np.uint8))
    with open(root / "truth.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["image", "value", "unit", "bar_px"])
        writer.writerows([[f"im{k}.png", "200", "nm", "100"] for k in (0, 1, 2)])
    return root


def test_load_layouts(tmp_path: Path) -> None:
    real = load_labelled(write_real_folder(tmp_path / "real"))
    assert [im.nm_per_px for im in real] == [2.0, 2.0, 2.0]
    assert real[0].text == "200nm" and real[0].load().shape == (64, 64)
    synth = tmp_path / "synth"
    (synth / "truth").mkdir(parents=True)
    bar = {"text": "2 µm", "value": 2, "unit": "um", "value_nm": 2000.0, "bar_px": 100}
    (synth / "truth" / "a.json").write_text(json.dumps({"image": "a.png", "scalebar": bar}))
    [im] = load_labelled(synth)
    assert (im.source, im.nm_per_px, im.text) == ("synthetic", 20.0, "2 µm")
    with pytest.raises(NanokitError, match="no truth.csv"):
        load_labelled(tmp_path)


def test_real_truth_loads(shared_data: Path) -> None:
    images = load_labelled(shared_data / "scalebars")
    assert len(images) >= 40
    assert all(im.nm_per_px > 0 and im.path is not None and im.path.is_file() for im in images)


def test_cli_writes_tables(
    fake_engines: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nanokit.scalebar.reader

    monkeypatch.setattr(nanokit.scalebar.reader, "read_scalebar", fake_reader)
    data = write_real_folder(tmp_path / "data")
    out = tmp_path / "out"
    args = ["--quiet", "bench-ocr", "--engines", "fake,absent", "--data", str(data)]
    result = CliRunner().invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "| fake | real | 3 | 66.7 | 66.7 | 33.3 |" in result.output
    assert "not installed" in result.output
    rows = list(csv.DictReader((out / "bench_ocr.csv").read_text().splitlines()))
    assert [(r["engine"], r["failures"], r["silently_wrong"]) for r in rows] == [
        ("fake", "1", "1"),
        ("absent", "", ""),
    ]
    assert (out / "bench_ocr.md").read_text().startswith("| engine | data |")
    per_image = (out / "bench_ocr_images.csv").read_text().splitlines()
    assert len(list(csv.DictReader(per_image))) == 3


def test_default_engines_start_with_the_table_order() -> None:
    assert engine_names()[:4] == [
        "RapidOCREngine",
        "PaddleOCREngine",
        "TesseractEngine",
        "EasyOCREngine",
    ]
