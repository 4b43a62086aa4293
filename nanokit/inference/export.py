"""ONNX export with dynamic batch/height/width, static int8 quantisation, and a check against torch.

``export_onnx`` uses torch's dynamo exporter (needs ``onnxscript``) and writes one self-contained
file. ``quantize_int8`` runs ONNX Runtime's ``quant_pre_process`` and then static QDQ quantisation
(per-channel int8 weights, uint8 activations, min/max calibrated on a few images). Dynamic int8
quantisation is deliberately not offered: on CPUs it was 3x slower than fp32 for this model.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ..errors import MissingExtraError, NanokitError
from .onnx_backend import PRECISION_KEY, OnnxBackend, import_onnxruntime

#: image suffixes read from a calibration folder.
IMAGE_SUFFIXES = (".png", ".tif", ".tiff", ".jpg", ".jpeg", ".bmp")


@dataclass(frozen=True)
class ExportCheck:
    """How closely an exported model follows the torch model.

    Attributes:
        max_logit_diff: largest absolute logit difference over all pixels and images.
        mask_agreement: fraction of pixels whose argmax class is the same, in [0, 1].
        n_images: number of images compared.
    """

    max_logit_diff: float
    mask_agreement: float
    n_images: int


def export_onnx(
    model: nn.Module, out: str | Path, *, sample_hw: tuple[int, int] = (256, 256), opset: int = 18
) -> Path:
    """Export ``model`` to a single ONNX file with dynamic batch, height and width.

    Args:
        model: maps (N, 3, H, W) float32 in [0, 1] to (N, C, H, W) logits; put in eval mode.
        out: the ``.onnx`` file to write (parents are created).
        sample_hw: (H, W) of the example input used for tracing, px.
        opset: ONNX opset version.

    Returns:
        ``out`` as a Path. The input is named ``image``, the output ``logits``.
    """
    try:
        import onnxscript  # noqa: F401 - the dynamo exporter needs it
    except ImportError as exc:
        raise MissingExtraError("onnxscript", extra="onnx") from exc
    out = _prepare_out(out)
    model = model.eval().to(memory_format=torch.contiguous_format)
    example = torch.rand(1, 3, *sample_hw)
    dynamic = {
        0: torch.export.Dim.DYNAMIC,
        2: torch.export.Dim.DYNAMIC,
        3: torch.export.Dim.DYNAMIC,
    }
    try:
        with _quiet():
            torch.onnx.export(
                _LogitsOnly(model),
                (example,),
                str(out),
                dynamo=True,
                input_names=["image"],
                output_names=["logits"],
                dynamic_shapes=(dynamic,),
                opset_version=opset,
                external_data=False,
                verbose=False,
            )
    except Exception as exc:  # noqa: BLE001 - torch.export raises many types
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NanokitError(f"ONNX export failed: {detail}") from exc
    _set_metadata(out, {PRECISION_KEY: "fp32"})
    return out


def quantize_int8(
    fp32_path: str | Path,
    out: str | Path,
    calibration: Sequence[np.ndarray],
    *,
    per_channel: bool = True,
    reduce_range: bool = False,
) -> Path:
    """Static int8 QDQ quantisation of an fp32 ONNX model.

    Args:
        fp32_path: model from :func:`export_onnx`.
        out: the int8 ``.onnx`` file to write.
        calibration: a handful of (3, H, W) float32 images in [0, 1] (any sizes) whose
            activation ranges (min/max) fix the activation scales.
        per_channel: one weight scale per output channel (more accurate, same speed).
        reduce_range: 7-bit weights, against overflow on CPUs without VNNI (rarely needed).

    Returns:
        ``out`` as a Path.
    """
    import_onnxruntime()
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    if not calibration:
        raise NanokitError("int8 quantisation needs at least one calibration image")
    out = _prepare_out(out)

    class _Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self._items = iter(calibration)

        def get_next(self) -> dict[str, np.ndarray] | None:
            image = next(self._items, None)
            return None if image is None else {"image": image[None].astype(np.float32)}

    with tempfile.TemporaryDirectory(prefix="nanokit-quant-") as tmp, _quiet():
        pre = Path(tmp) / "pre.onnx"
        # The exporter's symbolic output dims defeat ORT's symbolic shape inference; ONNX's
        # own shape inference and ORT's graph optimisation are enough for quantisation.
        quant_pre_process(str(fp32_path), str(pre), skip_symbolic_shape=True)
        quantize_static(
            str(pre),
            str(out),
            _Reader(),
            quant_format=QuantFormat.QDQ,
            per_channel=per_channel,
            reduce_range=reduce_range,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax,
        )
    _set_metadata(out, {PRECISION_KEY: "int8"})
    return out


def check_onnx(
    model: nn.Module, onnx_path: str | Path, images: Sequence[np.ndarray]
) -> ExportCheck:
    """Compare an exported model with the torch model in fp32 on ``images``.

    Args:
        model: the torch model that was exported.
        onnx_path: the exported fp32 or int8 model.
        images: (3, H, W) float32 images in [0, 1], any sizes.
    """
    if not images:
        raise NanokitError("checking an export needs at least one image")
    backend = OnnxBackend(onnx_path)
    model = model.eval()
    max_diff, agree, total = 0.0, 0, 0
    for image in images:
        with torch.inference_mode():
            expected = model(torch.from_numpy(image[None].astype(np.float32))).float().numpy()
        got = backend.predict(image[None])
        max_diff = max(max_diff, float(np.abs(got - expected).max()))
        agree += int((got.argmax(1) == expected.argmax(1)).sum())
        total += expected.shape[0] * expected.shape[2] * expected.shape[3]
    return ExportCheck(max_logit_diff=max_diff, mask_agreement=agree / total, n_images=len(images))


def load_calibration_images(folder: str | Path, n: int = 8, crop: int = 512) -> list[np.ndarray]:
    """Up to ``n`` images of ``folder`` (sorted by name), centre-cropped to at most crop x crop.

    Returns:
        (3, h, w) float32 arrays in [0, 1].
    """
    from .segment import to_model_input

    folder = Path(folder)
    if not folder.is_dir():
        raise NanokitError(f"calibration folder not found: {folder}")
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)[:n]
    if not paths:
        raise NanokitError(f"no images ({', '.join(IMAGE_SUFFIXES)}) in {folder}")
    images = []
    for path in paths:
        image = to_model_input(_read_image(path))
        height, width = image.shape[1:]
        top, left = max(0, (height - crop) // 2), max(0, (width - crop) // 2)
        images.append(np.ascontiguousarray(image[:, top : top + crop, left : left + crop]))
    return images


def _read_image(path: Path) -> np.ndarray:
    """(H, W) or (H, W, 3) RGB array of an image file."""
    if path.suffix.lower() in (".tif", ".tiff"):
        import tifffile

        image = tifffile.imread(path)
    else:
        import cv2

        image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        if image is not None and image.ndim == 3:
            image = cv2.cvtColor(image[:, :, :3], cv2.COLOR_BGR2RGB)
    if image is None:
        raise NanokitError(f"cannot read image {path}")
    return image


class _LogitsOnly(nn.Module):
    """Wraps a segmentor so that the traced call is exactly ``model(image) -> logits``."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.model(image)


def _prepare_out(out: str | Path) -> Path:
    out = Path(out)
    if out.is_dir():
        raise NanokitError(f"--out must be a file, {out} is a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def _set_metadata(path: Path, values: dict[str, str]) -> None:
    import onnx

    model = onnx.load(str(path))
    kept = [p for p in model.metadata_props if p.key not in values]
    del model.metadata_props[:]
    model.metadata_props.extend(kept)
    for key, value in values.items():
        model.metadata_props.add(key=key, value=value)
    onnx.save(model, str(path))


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence the exporter's and quantiser's progress prints and warnings."""
    with (
        contextlib.redirect_stdout(io.StringIO()),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        yield
