"""Running ``nanokit measure`` on one open micrograph and reading its layers back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nanokit.errors import NanokitError

from .run_layers import LayerData, run_layers

#: Subfolder of the run where a micrograph without a file (made in napari) is saved first.
INPUTS_DIR = "inputs"


@dataclass(frozen=True)
class MeasureRequest:
    """What the Measure widget asks for.

    Attributes:
        out: output folder of the run (created; an image measured there before is kept).
        config: config file whose ``measure`` section is used (None: nanokit's defaults).
        segmenter: SEGMENTERS type or alias replacing the config's (None: the config's).
        scale: nm per px (None: from the file's metadata or its scale bar).
        scalebar: whether to read the scale bar.
    """

    out: Path
    config: Path | None = None
    segmenter: str | None = None
    scale: float | None = None
    scalebar: bool = True


def image_file(name: str, data: np.ndarray, source: str | None, out: Path) -> Path:
    """The file to measure for an image layer: its own file, else its pixels saved as
    ``<out>/inputs/<name>.tif`` (the run keeps it, so the run opens again later)."""
    if source and Path(source).is_file():
        return Path(source)
    import tifffile

    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "image"
    path = out / INPUTS_DIR / f"{safe}.tif"
    path.parent.mkdir(parents=True, exist_ok=True)
    tifffile.imwrite(path, np.asarray(data))
    return path


def measure_file(path: Path, request: MeasureRequest) -> tuple[list[LayerData], bool]:
    """Measure one image file into ``request.out``; its layers from the run folder and whether
    it was measured now (False: the run had measured it before and kept that result).

    Raises:
        NanokitError: bad settings, or the image failed (its status from images.csv).
    """
    from nanokit.apis.measure import measure
    from nanokit.measure.outputs import RunFiles, read_rows

    if request.config is not None and not request.config.is_file():
        raise NanokitError(f"config not found: {request.config}")
    done_before = path.name in RunFiles(request.out).done_keys()
    measure(
        [path],
        request.out,
        config=request.config,
        scale=request.scale,
        scalebar="auto" if request.scalebar else "off",
        segmenter=request.segmenter,
        quiet=True,
    )
    rows = [r for r in read_rows(request.out / "images.csv") if r["image"] == path.name]
    if rows and rows[-1]["status"].startswith("failed"):
        raise NanokitError(f"{path.name}: {rows[-1]['status']}")
    layers = [
        layer
        for layer in run_layers(request.out)
        if layer[1]["metadata"]["nanokit"]["image"] == path.name
    ]
    if not layers:
        raise NanokitError(f"{path.name}: measure wrote no label image to {request.out}")
    return layers, not done_before
