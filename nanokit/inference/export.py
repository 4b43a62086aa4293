"""ONNX export with dynamic batch/height/width, static int8 quantisation, and a check against torch.

``export_onnx`` writes one self-contained file with either of torch's exporters: the TorchScript
tracer (default: seconds) or the dynamo exporter (``torch.export``, needs ``onnxscript``; exact
about Python control flow but took over 20 minutes for the EfficientNet-Lite0 U-Net on the
shared 2-core CPU, against 30 s for tracing). ``quantize_int8`` runs ONNX Runtime's
``quant_pre_process`` and then static QDQ quantisation (per-channel 7-bit int8 weights, uint8
activations, min/max calibrated on a few images). Dynamic int8 quantisation is deliberately not
offered: it was measured 3x slower than fp32 for the paper model."""

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

from ..errors import MissingExtraError, NanokitError, first_line
from ..io.images import IMAGE_SUFFIXES, list_images
from .onnx_backend import PRECISION_KEY, OnnxBackend, import_onnxruntime

#: torch's ONNX exporters that :func:`export_onnx` can use.
EXPORTERS = ("torchscript", "dynamo")
#: largest logit difference an fp32 export may show against PyTorch.
FP32_TOLERANCE = 1e-2
#: (H, W) of the extra check image, px: deliberately not a multiple of any stride.
CHECK_HW = (200, 264)


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
    model: nn.Module,
    out: str | Path,
    *,
    exporter: str = "torchscript",
    sample_hw: tuple[int, int] = (256, 320),
    opset: int = 18,
) -> Path:
    """Export ``model`` to a single ONNX file with dynamic batch, height and width.

    Tracing (``"torchscript"``) keeps shape arithmetic (padding to the output stride) dynamic
    but freezes Python branches at ``sample_hw``; :func:`check_onnx` at another size catches a
    model whose branches depend on the input size.

    Args:
        model: maps (N, 3, H, W) float32 in [0, 1] to (N, C, H, W) logits; exported in eval
            mode, its own mode is left as it was.
        out: the ``.onnx`` file to write (parents are created).
        exporter: ``"torchscript"`` or ``"dynamo"`` (see :data:`EXPORTERS`).
        sample_hw: (H, W) of the example input used for tracing, px.
        opset: ONNX opset version.

    Returns:
        ``out`` as a Path. The input is named ``image``, the output ``logits``.
    """
    if exporter not in EXPORTERS:
        raise NanokitError(f"unknown exporter {exporter!r}; choose one of {', '.join(EXPORTERS)}")
    out = _prepare_out(out)
    was_training = model.training
    wrapper = _LogitsOnly(model).eval()
    example = torch.rand(1, 3, *sample_hw)
    names = {"input_names": ["image"], "output_names": ["logits"], "opset_version": opset}
    try:
        with _quiet():
            if exporter == "dynamo":
                _require_onnxscript()
                dim = torch.export.Dim.DYNAMIC
                torch.onnx.export(
                    wrapper,
                    (example,),
                    str(out),
                    dynamo=True,
                    dynamic_shapes=({0: dim, 2: dim, 3: dim},),
                    external_data=False,
                    **names,
                )
            else:
                axes = {0: "batch", 2: "height", 3: "width"}
                torch.onnx.export(
                    wrapper,
                    (example,),
                    str(out),
                    dynamo=False,
                    dynamic_axes={"image": axes, "logits": axes},
                    **names,
                )
    except NanokitError:
        raise
    except Exception as exc:  # noqa: BLE001 - the exporters raise many types
        detail = first_line(exc, type(exc).__name__)
        raise NanokitError(f"ONNX export ({exporter}) failed: {detail}") from exc
    finally:
        model.train(was_training)  # the exporters restore the wrapper's mode, not the model's
    _set_metadata(out, {PRECISION_KEY: "fp32"})
    return out


def _require_onnxscript() -> None:
    try:
        import onnxscript  # noqa: F401 - the dynamo exporter needs it
    except ImportError as exc:
        raise MissingExtraError("onnxscript", extra="onnx") from exc


def quantize_int8(
    fp32_path: str | Path,
    out: str | Path,
    calibration: Sequence[np.ndarray],
    *,
    per_channel: bool = True,
    reduce_range: bool = True,
    input_name: str = "image",
    op_types: Sequence[str] | None = None,
    keep_fp32: Sequence[str] = (),
) -> Path:
    """Static int8 QDQ quantisation of an fp32 ONNX model (opset 13 or later).

    Args:
        fp32_path: model from :func:`export_onnx` (or another image network's ONNX file).
        out: the int8 ``.onnx`` file to write.
        calibration: a handful of (3, H, W) float32 network inputs (any sizes; images in
            [0, 1] for :func:`export_onnx`'s models) whose activation ranges (min/max) fix the
            activation scales.
        per_channel: one weight scale per output channel (more accurate, same speed).
        reduce_range: 7-bit weights. ONNX Runtime's uint8 x int8 kernels saturate on CPUs
            without VNNI (AVX2, AVX512 before VNNI); on the quickstart model 8-bit weights lost
            5.9 IoU points there, 7-bit ones 1.1. On by default so a model runs well anywhere.
        input_name: the model's image input.
        op_types: the operator types quantised (None: all that ONNX Runtime can).
        keep_fp32: names of further nodes left in fp32.

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
            return None if image is None else {input_name: image[None].astype(np.float32)}

    with tempfile.TemporaryDirectory(prefix="nanokit-quant-") as tmp, _quiet():
        pre = Path(tmp) / "pre.onnx"
        # ORT's symbolic shape inference fails on the dynamo exporter's symbolic output dims;
        # ONNX's own shape inference and ORT's graph optimisation are enough here.
        quant_pre_process(str(fp32_path), str(pre), skip_symbolic_shape=True)
        quantize_static(
            str(pre),
            str(out),
            _Reader(),
            nodes_to_exclude=[*shape_nodes(str(pre)), *keep_fp32],
            op_types_to_quantize=list(op_types) if op_types is not None else None,
            quant_format=QuantFormat.QDQ,
            per_channel=per_channel,
            reduce_range=reduce_range,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax,
        )
    _set_metadata(out, {PRECISION_KEY: "int8"})
    return out


def shape_nodes(path: str | Path) -> list[str]:
    """Names of the nodes of an ONNX model that compute shapes, not image data.

    Padding "same" (timm's TF-style EfficientNets) and cropping back compute sizes in float
    (Shape -> Cast -> Div -> Ceil ...). Quantising those scalars rounds the pads and changes the
    output size, so they must stay in float.
    """
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    static = {init.name for init in graph.initializer}
    names = []
    for node in graph.node:  # ONNX graphs are topologically sorted
        inputs = [name for name in node.input if name]
        if node.op_type in ("Shape", "Constant") or (inputs and set(inputs) <= static):
            static.update(node.output)
            if node.op_type not in ("Shape", "Constant"):
                names.append(node.name)
    return names


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
    was_training = model.training
    model.eval()
    max_diff, agree, total = 0.0, 0, 0
    try:
        for image in images:
            with torch.inference_mode():
                x = torch.from_numpy(image[None].astype(np.float32))
                expected = model(x).float().numpy()
            got = backend.predict(image[None])
            if got.shape != expected.shape:
                raise NanokitError(
                    f"{Path(onnx_path).name} gives logits of shape {got.shape} for a "
                    f"{image.shape[1]} x {image.shape[2]} image, PyTorch {expected.shape}"
                )
            max_diff = max(max_diff, float(np.abs(got - expected).max()))
            agree += int((got.argmax(1) == expected.argmax(1)).sum())
            total += expected.shape[0] * expected.shape[2] * expected.shape[3]
    finally:
        model.train(was_training)
    return ExportCheck(max_logit_diff=max_diff, mask_agreement=agree / total, n_images=len(images))


def check_export_fp32(
    model: nn.Module, onnx_path: str | Path, exporter: str = "torchscript"
) -> None:
    """Raise NanokitError when an fp32 export differs from ``model`` on a :data:`CHECK_HW` image.

    Tracing freezes Python branches at the sample size; this catches a model whose forward
    depends on the input size.
    """
    check = check_onnx(model, onnx_path, [noise_image(CHECK_HW)])
    if check.max_logit_diff > FP32_TOLERANCE:
        raise NanokitError(
            f"the {exporter} export differs from PyTorch (max |logit diff| "
            f"{check.max_logit_diff:.3g}); the model's forward depends on the input size in a "
            "way tracing freezes: try --exporter dynamo"
        )


def noise_image(hw: tuple[int, int]) -> np.ndarray:
    """(3, H, W) float32 seeded noise in [0, 1], grey replicated."""
    grey = np.random.default_rng(0).random(hw, dtype=np.float32)
    return np.ascontiguousarray(np.broadcast_to(grey, (3, *hw)))


def load_calibration_images(folder: str | Path, n: int = 8, crop: int = 512) -> list[np.ndarray]:
    """Up to ``n`` images of ``folder`` (sorted by name), centre-cropped to at most crop x crop.

    A folder without images of its own but with an ``images/`` folder (what ``nanokit synth``
    writes) is read from there.

    Returns:
        (3, h, w) float32 arrays in [0, 1].
    """
    from .segment import to_model_input

    folder = Path(folder)
    if not folder.is_dir():
        raise NanokitError(f"calibration folder not found: {folder}")
    paths = list_images(folder)[:n]
    if not paths and (folder / "images").is_dir():
        folder = folder / "images"
        paths = list_images(folder)[:n]
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
