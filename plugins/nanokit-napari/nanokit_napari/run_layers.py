"""A ``nanokit measure`` output folder as napari layers: micrograph, labels, particle table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nanokit.errors import NanokitError
from nanokit.measure.outputs import PARTICLE_COLUMNS, read_rows

#: Key of the layers' ``metadata`` entry that ties a labels layer to its run and image.
METADATA_KEY = "nanokit"
#: particles.csv columns that are not numbers.
_TEXT_COLUMNS = ("image", "touches_border")

LayerData = tuple[Any, dict[str, Any], str]


def is_run_folder(path: str | Path) -> bool:
    """Whether ``path`` is a folder that ``nanokit measure --out`` wrote."""
    path = Path(path)
    return (path / "images.csv").is_file() and (path / "masks").is_dir()


def mask_path(out: Path, key: str) -> Path:
    """The label image of one image of a run: ``masks/<key>.png``."""
    return out / "masks" / f"{key}.png"


def run_layers(out: str | Path) -> list[LayerData]:
    """Image and labels layers of every measured image in ``out`` (the first pair visible).

    Raises:
        NanokitError: ``out`` is not a measure output folder or holds no measured image.
    """
    out = Path(out)
    if not is_run_folder(out):
        raise NanokitError(f"{out} is not a nanokit measure output (no images.csv and masks/)")
    particles = _particle_table(out)
    layers: list[LayerData] = []
    for record in _records(out):
        if record.mask is None or not Path(record.mask).is_file():
            continue
        rows = particles[particles["image"] == record.name]
        pair = image_layers(out, record, rows, visible=not layers)
        layers.extend(pair)
    if not layers:
        raise NanokitError(f"{out} holds no measured image with a label image in masks/")
    return layers


def image_layers(out: Path, record: Any, particles: pd.DataFrame, visible: bool) -> list[LayerData]:
    """The micrograph and labels layers of one run record (``load_run``'s per-image record).

    Calibrated images get ``scale`` nm per px and units nm, so napari's scale bar reads nm;
    uncalibrated ones stay in px and say so in the layer names. Where the source micrograph is
    gone, the overlay drawn by measure stands in for it.
    """
    import cv2

    labels = cv2.imread(str(record.mask), cv2.IMREAD_UNCHANGED)
    if labels is None:
        raise NanokitError(f"unreadable label image: {record.mask}")
    nm = record.nm_per_px
    calibration: dict[str, Any] = (
        {"scale": (nm, nm), "units": ("nm", "nm")} if nm else {"scale": (1.0, 1.0)}
    )
    suffix = "" if nm else " (uncalibrated, px)"
    micrograph, title = _micrograph(out, record)
    meta = {
        METADATA_KEY: {
            "run": str(out),
            "image": record.name,
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


def _micrograph(out: Path, record: Any) -> tuple[np.ndarray | None, str]:
    """The source micrograph as measure saw it (8-bit grey) and the layer's name; the overlay
    of ``overlays/`` where the source cannot be read (None where that is gone too)."""
    import cv2

    from nanokit.io import ImageReadError, read_image

    if record.source is not None:
        try:
            return read_image(record.source).grey, record.key
        except ImageReadError:
            pass
    overlay = cv2.imread(str(out / "overlays" / f"{record.key}.png"), cv2.IMREAD_COLOR)
    if overlay is None:
        return None, record.key
    rgb = cv2.cvtColor(overlay, cv2.COLOR_BGR2RGB)
    return rgb, f"{record.key} overlay (source image not found)"


@dataclass(frozen=True)
class _Record:
    """What the reader needs of one image of a run (until measure writes a manifest)."""

    name: str
    key: str
    source: str | None
    nm_per_px: float | None
    status: str
    mask: Path | None


def _records(out: Path) -> list[_Record]:
    """One record per images.csv row; the mask found under the key measure gives it."""
    records = []
    for row in read_rows(out / "images.csv"):
        name = row["image"]
        keys = [Path(name).with_suffix("").as_posix(), name]
        masks = [mask_path(out, k.replace("/", "__")) for k in keys]
        mask = next((m for m in masks if m.is_file()), None)
        nm = float(row["nm_per_px"]) if row.get("nm_per_px") else None
        key = mask.stem if mask is not None else keys[0]
        records.append(_Record(name, key, None, nm, row.get("status", ""), mask))
    return records


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
