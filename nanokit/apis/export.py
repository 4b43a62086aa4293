"""``nanokit export``: a config's model to ONNX (fp32 or static int8), checked against PyTorch."""

from __future__ import annotations

import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..config import ConfigLike
from ..errors import NanokitError

#: pixel agreement with PyTorch below which an int8 export gives a warning.
INT8_MIN_AGREEMENT = 0.98


@dataclass(frozen=True)
class ExportReport:
    """What ``export_model`` wrote and how well it matches PyTorch.

    Attributes:
        out: the ONNX file.
        precision: ``"fp32"`` or ``"int8"``.
        size_mb: file size in MB.
        max_logit_diff: largest absolute logit difference to the torch model (fp32).
        mask_agreement: fraction of pixels with the same argmax class, in [0, 1].
        n_images: images compared.
        registered: where an int8 model of trained weights that passed the check was copied
            for ``measure.inference='auto'`` (tried on CPUs with VNNI), else None.
    """

    out: Path
    precision: str
    size_mb: float
    max_logit_diff: float
    mask_agreement: float
    n_images: int
    registered: Path | None = None

    def summary(self) -> str:
        """One line for the CLI."""
        line = (
            f"wrote {self.out} ({self.precision}, {self.size_mb:.1f} MB): max |logit diff| vs "
            f"PyTorch {self.max_logit_diff:.2e}, mask agreement {100 * self.mask_agreement:.2f} % "
            f"on {self.n_images} images"
        )
        if self.registered is not None:
            line += f"; registered for measure.inference 'auto' as {self.registered}"
        return line


def export_model(
    config: ConfigLike,
    out: str | Path,
    *,
    checkpoint: str | Path | None = None,
    int8: bool = False,
    calib: str | Path | None = None,
    n_calib: int = 8,
    exporter: str = "torchscript",
) -> ExportReport:
    """Export ``config``'s model to ONNX with dynamic batch, height and width.

    Args:
        config: config with a ``model`` (path, dict or mmengine Config).
        out: ``.onnx`` file to write.
        checkpoint: trained weights; without them the config's initial weights are exported,
            with a warning (useful for benchmarking only).
        int8: static int8 QDQ quantisation (per-channel weights), calibrated on ``calib``.
        calib: folder of images (png/tif/jpg/bmp) for the int8 calibration; also used for the
            check against PyTorch.
        n_calib: at most this many calibration images (centre crops of <= 512 x 512 px).
        exporter: ``"torchscript"`` (tracing, fast) or ``"dynamo"`` (torch.export, slow).

    Returns:
        An ExportReport (file, precision, max logit difference, mask agreement).
    """
    from ..inference.export import (
        CHECK_HW,
        FP32_TOLERANCE,
        check_onnx,
        export_onnx,
        load_calibration_images,
        noise_image,
        quantize_int8,
    )
    from ..models.builder import build_model

    out = Path(out)
    if out.suffix.lower() != ".onnx":
        raise NanokitError(f"--out must name an .onnx file, got {out}")
    if int8 and calib is None:
        raise NanokitError("--int8 needs --calib DIR: a folder of a few images to calibrate on")
    if calib is not None and not int8:
        raise NanokitError("--calib is only used with --int8")
    images = load_calibration_images(calib, n=n_calib) if calib is not None else []
    model = build_model(config, checkpoint=checkpoint)
    if checkpoint is None:
        warnings.warn(
            "no --checkpoint given: exporting the config's initial (untrained) weights; "
            "fine for benchmarking, not for measuring",
            UserWarning,
            stacklevel=2,
        )
    # An odd-sized image checks the dynamic height and width.
    odd = images[0][:, : CHECK_HW[0], : CHECK_HW[1]] if images else noise_image(CHECK_HW)
    check_images = [*images[:4], np.ascontiguousarray(odd)]
    if int8:
        with tempfile.TemporaryDirectory(prefix="nanokit-export-") as tmp:
            fp32 = export_onnx(model, Path(tmp) / "fp32.onnx", exporter=exporter)
            quantize_int8(fp32, out, images)
    else:
        export_onnx(model, out, exporter=exporter)
    check = check_onnx(model, out, check_images)
    if not int8 and check.max_logit_diff > FP32_TOLERANCE:
        out.unlink()
        raise NanokitError(
            f"the {exporter} export differs from PyTorch (max |logit diff| "
            f"{check.max_logit_diff:.3g}), so it was deleted; the model's forward depends on the "
            "input size in a way tracing freezes: try --exporter dynamo"
        )
    if int8 and check.mask_agreement < INT8_MIN_AGREEMENT:
        warnings.warn(
            f"the int8 model agrees with PyTorch on only {100 * check.mask_agreement:.1f} % of "
            "pixels; calibrate on more typical images or use the fp32 export",
            UserWarning,
            stacklevel=2,
        )
    registered = None
    if int8 and checkpoint is not None and check.mask_agreement >= INT8_MIN_AGREEMENT:
        from ..inference.select import register_int8

        registered = register_int8(config, checkpoint, out)
    return ExportReport(
        out=out,
        precision="int8" if int8 else "fp32",
        size_mb=out.stat().st_size / 1e6,
        max_logit_diff=check.max_logit_diff,
        mask_agreement=check.mask_agreement,
        n_images=check.n_images,
        registered=registered,
    )
