"""Labelled scale-bar images for ``nanokit bench-ocr``: the truth each engine is scored against.

Two layouts:

- real: ``truth.csv`` (columns ``image, value, unit, bar_px``, see shared/data/SOURCES.md) and
  ``images/``;
- synthetic (``nanokit synth``): ``truth/<id>.json`` and ``images/<id>.png``.

By default: the real images of the shared data folder (``$NANOKIT_SHARED/data/scalebars`` or
``../shared`` beside the repository) when present, plus synthetic images made in memory.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import NanokitError
from ..ocr.units import NM_PER_UNIT
from ..utils.progress import progress


@dataclass(frozen=True)
class LabelledImage:
    """One benchmark image and its truth.

    Attributes:
        name: file name.
        source: ``real`` or ``synthetic``.
        text: the label as printed (``50.0um``; µ may be written ``u``).
        value: printed value.
        unit: one of ``pm, A, nm, um, mm``.
        nm_per_px: true calibration, value in nm / calibrated bar length in px.
        path: the image file (None for images made in memory).
        image: the pixels when made in memory, (H, W) uint8.
    """

    name: str
    source: str
    text: str
    value: float
    unit: str
    nm_per_px: float
    path: Path | None = None
    image: np.ndarray | None = None

    def load(self) -> np.ndarray:
        """(H, W) uint8 grey pixels."""
        if self.image is not None:
            return self.image
        from ..io.images import read_image

        assert self.path is not None
        return read_image(self.path).grey


def shared_scalebar_dir() -> Path | None:
    """``$NANOKIT_SHARED/data/scalebars``, else ``../shared/data/scalebars`` beside the repo."""
    repo = Path(__file__).resolve().parents[2]
    shared = Path(os.environ.get("NANOKIT_SHARED", repo.parent / "shared"))
    folder = shared / "data" / "scalebars"
    return folder if (folder / "truth.csv").is_file() else None


def load_labelled(folder: str | Path) -> list[LabelledImage]:
    """The labelled images of ``folder`` (real ``truth.csv`` layout or ``nanokit synth`` layout).

    Raises:
        NanokitError: neither layout, or a truth file that lacks a needed field.
    """
    folder = Path(folder)
    if (folder / "truth.csv").is_file():
        return _real_images(folder)
    if (folder / "truth").is_dir():
        return _synth_folder_images(folder)
    raise NanokitError(f"{folder}: no truth.csv or truth/ folder of labelled scale bars")


def _real_images(folder: Path) -> list[LabelledImage]:
    images = []
    with open(folder / "truth.csv", newline="") as f:
        for row in csv.DictReader(f):
            try:
                value, bar_px = float(row["value"]), float(row["bar_px"])
                nm = value * NM_PER_UNIT[row["unit"]]
            except (KeyError, ValueError) as exc:
                raise NanokitError(f"{folder / 'truth.csv'}: bad row {row.get('image')}") from exc
            images.append(
                LabelledImage(
                    name=row["image"],
                    source="real",
                    text=f"{row['value']}{row['unit']}",
                    value=value,
                    unit=row["unit"],
                    nm_per_px=nm / bar_px,
                    path=folder / "images" / row["image"],
                )
            )
    return images


def _synth_folder_images(folder: Path) -> list[LabelledImage]:
    images = []
    for path in sorted((folder / "truth").glob("*.json")):
        truth = json.loads(path.read_text())
        images.append(_from_synth_truth(truth, folder / "images" / truth["image"], None))
    return images


def _from_synth_truth(truth: dict, path: Path | None, image: np.ndarray | None) -> LabelledImage:
    bar = truth.get("scalebar")
    if not bar:
        raise NanokitError(f"synthetic truth of {truth.get('image')} has no scale bar")
    return LabelledImage(
        name=truth["image"],
        source="synthetic",
        text=bar["text"],
        value=float(bar["value"]),
        unit=bar["unit"],
        nm_per_px=float(bar["value_nm"]) / float(bar["bar_px"]),
        path=path,
        image=image,
    )


def synthetic_images(n: int, seed: int = 1000, quiet: bool = False) -> list[LabelledImage]:
    """``n`` synthetic images made in memory with ``nanokit.synth.make_sample``.

    Seeds ``seed .. seed + n - 1``; the default 1000 keeps them apart from development seeds.
    """
    from ..synth import make_sample

    images = []
    for s in progress(range(seed, seed + n), desc="synthetic images", total=n, quiet=quiet):
        image, _, truth = make_sample(s)
        images.append(_from_synth_truth(truth, None, image))
    return images


def default_images(n_synthetic: int, seed: int = 1000, quiet: bool = False) -> list[LabelledImage]:
    """The shared real scale-bar images (when present) plus ``n_synthetic`` synthetic ones."""
    real = shared_scalebar_dir()
    images = load_labelled(real) if real else []
    return images + (synthetic_images(n_synthetic, seed, quiet) if n_synthetic else [])
