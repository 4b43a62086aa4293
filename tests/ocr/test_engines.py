"""Each installed OCR engine on a few rendered labels; build_engine; missing extras; lazy imports."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import numpy as np
import pytest

from nanokit.errors import MissingExtraError, NanokitError
from nanokit.ocr import DEFAULT_ENGINE, build_engine, engine_type
from nanokit.ocr.engines import (
    BaseOCREngine,
    EasyOCREngine,
    PaddleOCREngine,
    RapidOCREngine,
    TesseractEngine,
)
from nanokit.ocr.units import parse_scale_label
from nanokit.synth import render_label

ENGINES = [RapidOCREngine, PaddleOCREngine, EasyOCREngine, TesseractEngine]
# PaddleOCR runs out of process: its missing environment is tested in test_worker.py
IN_PROCESS = [RapidOCREngine, EasyOCREngine, TesseractEngine]
# (text, height px, polarity): sizes and both polarities as on real micrographs
LABELS = [
    ("200 nm", 24, "white"),
    ("50 nm", 32, "black"),
    ("1.5 µm", 28, "white"),
    ("2,5 µm", 36, "black"),
    ("100 nm", 20, "black"),
]


@pytest.fixture(scope="module", params=ENGINES, ids=lambda cls: cls.name)
def engine(request: pytest.FixtureRequest) -> Iterator[BaseOCREngine]:
    cls = request.param
    if not cls.is_available():
        pytest.skip(f"{cls.name} not installed ({cls.install_hint()})")
    eng = cls()
    try:
        eng.read(np.full((24, 64), 255, np.uint8))
    except NanokitError as exc:  # library present but its models/data are not
        pytest.skip(str(exc))
    yield eng
    eng.close()


@pytest.mark.ocr
def test_engine_reads_rendered_labels(engine: BaseOCREngine) -> None:
    right = 0
    for text, height, polarity in LABELS:
        crop = render_label(text, height, polarity)
        result = engine.read(crop)
        assert isinstance(result.text, str) and 0.0 <= result.confidence <= 1.0
        assert result.box == (0, 0, crop.shape[1], crop.shape[0])
        label = parse_scale_label(result.text, reads_micro=engine.reads_micro)
        truth = parse_scale_label(text)
        right += label is not None and (label.value, label.unit) == (truth.value, truth.unit)
    # µ-less engines (easyocr, tesseract) may miss the two µm labels
    assert right >= (len(LABELS) if engine.reads_micro else len(LABELS) - 2)


@pytest.mark.ocr
def test_engine_reads_rgb_crops(engine: BaseOCREngine) -> None:
    grey = render_label("500 nm", 32, "black")
    result = engine.read(np.repeat(grey[:, :, None], 3, axis=2))
    label = parse_scale_label(result.text)
    assert label is not None and (label.value, label.unit) == (500, "nm")


@pytest.mark.ocr
def test_rapidocr_outputs_micro() -> None:
    pytest.importorskip("rapidocr")
    label = parse_scale_label(RapidOCREngine().read(render_label("500 µm", 32, "white")).text)
    assert label is not None and (label.value, label.unit) == (500, "um")
    assert not label.ambiguous


@pytest.mark.parametrize("cls", IN_PROCESS, ids=lambda cls: cls.name)
def test_missing_library_names_the_extra(
    cls: type[BaseOCREngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in ("rapidocr", "easyocr", "easyocr_en_models", "tesserocr"):
        monkeypatch.setitem(sys.modules, module, None)  # import raises ImportError
    with pytest.raises(MissingExtraError) as err:
        cls().read(np.zeros((16, 16), np.uint8))
    assert f"pip install 'nanokit[{cls.extra}]'" in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_model_files_name_the_path(tmp_path) -> None:
    pytest.importorskip("tesserocr")
    with pytest.raises(NanokitError, match=str(tmp_path)):
        TesseractEngine(tessdata=str(tmp_path)).read(np.zeros((16, 16), np.uint8))
    pytest.importorskip("easyocr")
    with pytest.raises(NanokitError, match=str(tmp_path)):
        EasyOCREngine(model_dir=str(tmp_path)).read(np.zeros((16, 16), np.uint8))


@pytest.mark.parametrize("bad", [np.zeros((0, 5), np.uint8), np.zeros((8, 8), np.float32), None])
def test_bad_crop_is_a_one_line_error(bad: object) -> None:
    with pytest.raises(NanokitError, match="crop must be"):
        RapidOCREngine().read(bad)  # type: ignore[arg-type]


def test_build_engine_names() -> None:
    assert type(build_engine()).__name__ == engine_type(DEFAULT_ENGINE)
    assert isinstance(build_engine("rapidocr"), RapidOCREngine)
    assert isinstance(build_engine("PaddleOCREngine"), PaddleOCREngine)
    assert isinstance(build_engine("paddle"), PaddleOCREngine)  # the pip extra's name
    eng = build_engine({"type": "tesseract", "text_height": 48})
    assert isinstance(eng, TesseractEngine) and eng.text_height == 48
    assert build_engine(eng) is eng
    with pytest.raises(NanokitError, match="unknown type 'nope'"):
        build_engine("nope")


def test_import_and_build_load_no_ocr_library() -> None:
    code = (
        "import sys, nanokit.ocr, nanokit.ocr.units\n"
        "from nanokit.ocr import build_engine\n"
        "for name in ('rapidocr', 'paddleocr', 'easyocr', 'tesseract'): build_engine(name)\n"
        "libs = ('rapidocr', 'paddleocr', 'paddle', 'easyocr', 'tesserocr', 'onnxruntime', 'cv2')\n"
        "print([m for m in libs if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
