"""Manual calibration: a pixel size given by the user, for all images or per image from a CSV."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from ..errors import NanokitError

#: Column names accepted for the image and for the pixel size.
IMAGE_COLUMNS = ("image", "file", "filename", "name")
SCALE_COLUMNS = ("nm_per_px", "scale", "pixel_size_nm")


def check_scale(value: float, where: str = "--scale") -> float:
    """``value`` as a positive, finite nm per px.

    Raises:
        NanokitError: zero, negative, NaN or infinite.
    """
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise NanokitError(f"{where}: nm per px must be a positive number, got {value!r}")
    return value


def read_scale_csv(path: str | Path) -> dict[str, float]:
    """Pixel sizes per image from a CSV with a header ``image,nm_per_px``.

    Each image is stored under its name and its stem, so ``a.tif`` and ``a`` both match.

    Args:
        path: the CSV file (columns also accepted: file/filename/name and scale/pixel_size_nm).

    Returns:
        image name or stem -> nm per px.

    Raises:
        NanokitError: missing file, missing columns, or a row whose value is not a positive
            number (the message names the line).
    """
    path = Path(path)
    if not path.is_file():
        raise NanokitError(f"scale CSV not found: {path}")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        fields = {name.strip().lower(): name for name in reader.fieldnames or []}
        image_col = next((fields[c] for c in IMAGE_COLUMNS if c in fields), None)
        scale_col = next((fields[c] for c in SCALE_COLUMNS if c in fields), None)
        if image_col is None or scale_col is None:
            raise NanokitError(f"{path}: needs columns 'image' and 'nm_per_px'")
        scales: dict[str, float] = {}
        for line, row in enumerate(reader, start=2):
            name = (row.get(image_col) or "").strip()
            if not name:
                continue
            try:
                value = check_scale(float(row.get(scale_col) or "nan"), f"{path}:{line}")
            except ValueError:
                raise NanokitError(
                    f"{path}:{line}: {row.get(scale_col)!r} is not a number"
                ) from None
            scales[name] = value
            scales.setdefault(Path(name).stem, value)
    return scales


def lookup_scale(scales: dict[str, float], image: str | Path) -> float | None:
    """The pixel size of ``image`` (full name, file name or stem) in ``scales``, or None."""
    image = str(image)
    name = Path(image).name
    for key in (image, name, Path(name).stem):
        if key in scales:
            return scales[key]
    return None
