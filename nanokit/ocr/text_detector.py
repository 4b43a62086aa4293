"""rapidocr's text detector in int8 for CPUs with int8 dot products (VNNI): 2.5x faster.

The printed-text search (:mod:`nanokit.ocr.text_boxes`) runs rapidocr's DBNet detector on every
image; in fp32 it is the largest single cost of ``measure`` (about 0.9 s of a 1024 x 768 image on
one core). Its backbone's convolutions quantised to int8 (the feature pyramid and the head, which
draw the text map that is thresholded, stay in fp32) run 2.5x faster on a Xeon with VNNI and
find the same printed text, in boxes a few px apart (docs/results.md). The int8 model is made
from the detector in rapidocr's wheel on first use, calibrated on synthetic micrographs (their
scale-bar labels and data-bar words are the text), and kept in the cache folder of the network
exports, keyed by the detector's checksum and this recipe.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import numpy as np

from ..errors import NanokitError

#: Synthetic samples (``nanokit.synth.make_sample`` seeds) whose activation ranges set the int8
#: scales.
CALIBRATION_SEEDS = tuple(range(1000, 1016))
#: The opset per-channel QDQ quantisation needs (rapidocr's detector is opset 11).
QDQ_OPSET = 13
#: Bump when the recipe changes: cached models of an older recipe are not reused.
RECIPE = 1


def fp32_detector() -> tuple[Path, str]:
    """(path, sha256) of the text detector rapidocr runs by default (shipped in its wheel)."""
    import rapidocr
    from rapidocr import EngineType, LangDet, ModelType, OCRVersion
    from rapidocr.inference_engine.base import FileInfo, InferSession
    from rapidocr.utils.typings import TaskType

    info = InferSession.get_model_url(
        FileInfo(
            engine_type=EngineType.ONNXRUNTIME,
            ocr_version=OCRVersion.PPOCRV6,
            task_type=TaskType.DET,
            lang_type=LangDet.CH,
            model_type=ModelType.SMALL,
        )
    )
    path = Path(rapidocr.__file__).parent / "models" / Path(info["model_dir"]).name
    if not path.is_file():
        raise NanokitError(f"rapidocr's text detector is not installed: {path} is missing")
    return path, str(info["SHA256"])


def int8_detector(cache_dir: str | Path | None = None) -> Path:
    """The int8 text detector, made on first use and then read from ``cache_dir``
    (None: :func:`~nanokit.inference.select.default_cache_dir`)."""
    import onnxruntime

    from ..inference.select import default_cache_dir, write_cached

    source, checksum = fp32_detector()
    key = f"{checksum}-{onnxruntime.__version__}-{CALIBRATION_SEEDS}-{QDQ_OPSET}-{RECIPE}"
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = folder / f"text-det-{hashlib.sha256(key.encode()).hexdigest()[:16]}-int8.onnx"
    if target.is_file():
        return target
    return write_cached(target, lambda tmp: _quantize(source, tmp))


def _quantize(source: Path, out: Path) -> None:
    """Write the int8 detector of ``source`` to ``out``."""
    import onnx
    from onnx import version_converter

    from ..inference.export import quantize_int8

    with tempfile.TemporaryDirectory(prefix="nanokit-textdet-") as tmp:
        fp32 = Path(tmp) / "det.onnx"
        model = version_converter.convert_version(onnx.load(str(source)), QDQ_OPSET)
        onnx.save(model, str(fp32))
        quantize_int8(
            fp32,
            out,
            [detector_input(_calibration_image(seed)) for seed in CALIBRATION_SEEDS],
            reduce_range=False,  # used only where VNNI computes 8-bit weights without saturating
            input_name=model.graph.input[0].name,
            op_types=("Conv",),
            keep_fp32=pyramid_and_head(model),
        )


def _calibration_image(seed: int) -> np.ndarray:
    from ..synth import make_sample

    return make_sample(seed)[0]


def detector_input(grey: np.ndarray) -> np.ndarray:
    """(3, H, W) float32 detector input of a uint8 grey image as the text search sees it:
    scaled as :func:`~nanokit.ocr.text_boxes.detect_factor` says, sides rounded to multiples
    of 32, grey in [-1, 1] in all three channels."""
    import cv2

    from .text_boxes import detect_factor

    factor = detect_factor(grey.shape)
    height, width = grey.shape[:2]
    size = (max(32, round(width * factor / 32) * 32), max(32, round(height * factor / 32) * 32))
    scaled = cv2.resize(
        grey, size, interpolation=cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
    )
    return np.repeat((scaled.astype(np.float32) / 127.5 - 1.0)[None], 3, axis=0)


def pyramid_and_head(model: object) -> list[str]:
    """Names of the convolutions downstream of an upsampling (Resize): the detector's feature
    pyramid and head, which draw the text map."""
    graph = model.graph  # type: ignore[attr-defined]
    consumers: dict[str, list[object]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    todo = [node for node in graph.node if node.op_type == "Resize"]
    seen: set[str] = set()
    while todo:
        node = todo.pop()
        if node.name in seen:
            continue
        seen.add(node.name)
        for output in node.output:
            todo.extend(consumers.get(output, ()))
    return [node.name for node in graph.node if node.op_type == "Conv" and node.name in seen]
