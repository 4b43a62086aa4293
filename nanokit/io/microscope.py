"""Microscope formats that carry their own calibration, read through rosettasciio.

Gatan DigitalMicrograph (.dm3, .dm4), FEI TIA (.ser, and the .emi that describes it), Thermo
Velox (.emd) and MRC (.mrc). rosettasciio (GPL-3.0) is the optional extra ``formats`` and is
imported only when such a file is read.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NanokitError

#: suffix -> rosettasciio plugin module.
READERS = {
    ".dm3": "rsciio.digitalmicrograph",
    ".dm4": "rsciio.digitalmicrograph",
    ".ser": "rsciio.tia",
    ".emi": "rsciio.tia",
    ".emd": "rsciio.emd",
    ".mrc": "rsciio.mrc",
}
MICROSCOPE_SUFFIXES = tuple(READERS)
#: Largest relative difference between the x and y pixel sizes of square pixels.
SQUARE = 1e-3


@dataclass
class MicroscopeImage:
    """The first image of a microscope file and its own pixel size.

    Attributes:
        data: (H, W) array as stored (any dtype).
        nm_per_px: the pixel size, nm; None when the file has no spatial calibration.
        note: why ``nm_per_px`` is None (empty otherwise).
        flags: what was chosen, e.g. ``first of 2 frames``.
    """

    data: np.ndarray
    nm_per_px: float | None
    note: str = ""
    flags: list[str] = field(default_factory=list)


def read_microscope(path: str | Path) -> MicroscopeImage:
    """The first 2-D image in ``path`` (first frame of a stack) with its pixel size.

    Raises:
        NanokitError: rosettasciio missing (names the extra), an unreadable file, or a file
            without any 2-D image (spectra, plots).
    """
    path = Path(path)
    module = READERS.get(path.suffix.lower())
    if module is None:
        raise NanokitError(f"{path.name}: not a microscope format ({', '.join(READERS)})")
    try:
        reader = importlib.import_module(module)
    except ImportError:
        raise NanokitError(
            f"{path.name}: reading {path.suffix} files needs rosettasciio: "
            "pip install 'nanokit[formats]'"
        ) from None
    try:
        signals = reader.file_reader(str(path), lazy=False)
    except Exception as exc:  # noqa: BLE001 - rosettasciio raises many types on a bad file
        raise NanokitError(
            f"{path.name}: unreadable {path.suffix} file ({type(exc).__name__})"
        ) from None
    for signal in signals:
        image = _image(signal)
        if image is not None:
            return image
    raise NanokitError(f"{path.name}: no 2-D image in the file")


def _image(signal: dict[str, Any]) -> MicroscopeImage | None:
    """The signal's first 2-D image with its calibration, or None for spectra and plots."""
    axes = signal.get("axes") or []
    data = np.asarray(signal["data"])
    spatial = [a for a in axes if not a.get("navigate", False)]
    if len(spatial) != 2 or data.ndim < 2:
        return None
    flags = []
    if data.ndim > 2:
        frames = int(np.prod(data.shape[:-2]))
        data = data.reshape(-1, *data.shape[-2:])[0]
        flags.append(f"first of {frames} frames")
    nm_per_px, note = _pixel_size(spatial)
    return MicroscopeImage(data, nm_per_px, note, flags)


def _pixel_size(axes: list[dict[str, Any]]) -> tuple[float | None, str]:
    """(nm per px, '') from the y and x axes, or (None, why)."""
    from ..ocr.units import unit_nm

    sizes = []
    for axis in axes:
        per_unit = unit_nm(str(axis.get("units") or ""))
        scale = float(axis.get("scale") or 0)
        if per_unit is None or not scale > 0:
            unit = axis.get("units") or "no unit"
            return None, f"no spatial calibration in the file (axis scale {scale:g}, {unit})"
        sizes.append(scale * per_unit)
    if not square(sizes[1], sizes[0]):
        return None, f"pixels not square ({sizes[1]:.4g} x {sizes[0]:.4g} nm)"
    return sizes[1], ""


def square(x_nm: float, y_nm: float) -> bool:
    """Whether pixels ``x_nm`` wide and ``y_nm`` high are square (within :data:`SQUARE`)."""
    return abs(x_nm / y_nm - 1) <= SQUARE
