"""A ``nanokit measure`` output folder as napari layers: micrograph, labels, particle table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from nanokit.errors import NanokitError
from nanokit.measure.outputs import PARTICLE_COLUMNS, read_rows

if TYPE_CHECKING:
    from nanokit.measure.run_folder import ImageRecord

#: Key of the layers' ``metadata`` entry that ties a labels layer to its run and image.
METADATA_KEY = "nanokit"
#: particles.csv columns that are not numbers.
_TEXT_COLUMNS = ("image", "touches_border")

LayerData = tuple[Any, dict[str, Any], str]


def is_run_folder(path: str | Path) -> bool:
    """Whether ``path`` is a folder that ``nanokit measure --out`` wrote."""
    path = Path(path)
    return (path / "images.csv").is_file() and (path / "masks").is_dir()


def run_layers(out: str | Path) -> list[LayerData]:
    """Image and labels layers of every measured image in ``out`` (the first pair visible).

    Raises:
        NanokitError: ``out`` is not a measure output folder or holds no measured image.
    """
    out = Path(out)
    if not is_run_folder(out):
        raise NanokitError(f"{out} is not a nanokit measure output (no images.csv and masks/)")
    from nanokit.measure.run_folder import load_run

    particles = _particle_table(out)
    layers: list[LayerData] = []
    for record in load_run(out).images:
        if record.mask_path is None or not record.mask_path.is_file():
            continue
        rows = particles[particles["image"] == record.image]
        layers.extend(image_layers(out, record, rows, visible=not layers))
    if not layers:
        raise NanokitError(f"{out} holds no measured image with a label image in masks/")
    return layers


def image_layers(
    out: Path, record: ImageRecord, particles: pd.DataFrame, visible: bool
) -> list[LayerData]:
    """The micrograph and labels layers of one image of the run in ``out``.

    Calibrated images get ``scale`` nm per px and units nm, so napari's scale bar reads nm;
    uncalibrated ones stay in px and say so in the layer names. Where the source micrograph is
    gone, the run's own copy (``fiji/<key>.tif``) or else its overlay stands in for it.
    """
    import cv2

    labels = cv2.imread(str(record.mask_path), cv2.IMREAD_UNCHANGED)
    if labels is None:
        raise NanokitError(f"unreadable label image: {record.mask_path}")
    nm = record.nm_per_px
    calibration: dict[str, Any] = (
        {"scale": (nm, nm), "units": ("nm", "nm")} if nm else {"scale": (1.0, 1.0)}
    )
    suffix = "" if nm else " (uncalibrated, px)"
    micrograph, title = _micrograph(record)
    meta = {
        METADATA_KEY: {
            "run": str(out.absolute()),
            "image": record.image,
            "key": record.key,
            "nm_per_px": nm,
            "status": record.status,
        }
    }
    layers: list[LayerData] = []
    if micrograph is not None:
        image_kwargs = {"name": title + suffix, "visible": visible, "metadata": meta}
        layers.append((micrograph, {**image_kwargs, **calibration}, "image"))
    labels_kwargs = {
        "name": f"{record.key} labels{suffix}",
        "visible": visible,
        "metadata": meta,
        "features": particles.reset_index(drop=True),
        **calibration,
    }
    layers.append((labels.astype(np.uint16, copy=False), labels_kwargs, "labels"))
    return layers


def _micrograph(record: ImageRecord) -> tuple[np.ndarray | None, str]:
    """The micrograph as measure saw it (8-bit grey) and the layer's name: from the source
    file, else the run's ImageJ TIFF of it, else the overlay (None where all are gone)."""
    import cv2

    from nanokit.io import ImageReadError, read_image

    for path in (record.source, record.tiff_path):
        if path is not None and path.is_file():
            try:
                return read_image(path).grey, record.key
            except ImageReadError:
                continue
    overlay = None if record.overlay_path is None else cv2.imread(str(record.overlay_path))
    if overlay is None:
        return None, record.key
    rgb = cv2.cvtColor(overlay, cv2.COLOR_BGR2RGB)
    return rgb, f"{record.key} overlay (source image not found)"


def _particle_table(out: Path) -> pd.DataFrame:
    """particles.csv as a table: numbers as floats, ``touches_border`` as bool and an ``index``
    column equal to ``particle_id`` (napari maps label values to rows through it)."""
    rows = read_rows(out / "particles.csv")
    table = pd.DataFrame(rows, columns=list(PARTICLE_COLUMNS))
    for column in PARTICLE_COLUMNS:
        if column not in _TEXT_COLUMNS:
            table[column] = pd.to_numeric(table[column], errors="coerce")
    table["touches_border"] = table["touches_border"] == "true"
    table.insert(0, "index", table["particle_id"].astype("Int64"))
    return table
