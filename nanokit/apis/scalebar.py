"""Calibrating images: ``nanokit scalebar`` and a one-call API over the calibration chain."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..calibration.calibrators.chain import build_chain, chain_config
from ..calibration.crosscheck import DISAGREE_FLAG
from ..calibration.record import CalibrationRecord
from ..errors import NanokitError
from ..ocr.engines.base import BaseOCREngine

__all__ = ["DISAGREE_FLAG", "calibrate_image", "calibrate_paths", "format_table"]


def calibrate_image(
    path: str | Path,
    image: np.ndarray | None = None,
    *,
    scale: float | None = None,
    scalebar: str = "auto",
    engine: BaseOCREngine | str | None = None,
) -> CalibrationRecord:
    """The calibration record of one image through the calibration chain, never raising for a
    bad image (see :class:`~nanokit.calibration.calibrators.chain.CalibrationChain`).

    Args:
        path: the image file (metadata and sidecars are read from it; pixels too when
            ``image`` is None).
        image: the pixels, (H, W) or (H, W, 3) uint8, when already read.
        scale: nm per px given by the user.
        scalebar: ``auto`` to read the scale bar, ``off`` not to.
        engine: OCR engine or its name (None: ``nanokit.ocr.DEFAULT_ENGINE``).

    Returns:
        The record; ``ok=False`` with ``error`` when no source gives a pixel size.

    Raises:
        NanokitError: a bad ``scalebar`` or ``scale`` value, an unknown engine name.
    """
    return build_chain(chain_config(scale, scalebar=scalebar, engine=engine))(path, image)


def calibrate_paths(
    paths: tuple[str, ...] | list[str],
    engine: str | None = None,
    quiet: bool = False,
    config: str | Path | None = None,
) -> list[CalibrationRecord]:
    """Files and folders (their images, sorted) through one calibration chain.

    Args:
        paths: image files and folders.
        engine: OCR engine name for the default chain.
        quiet: no progress bar.
        config: a config file whose ``calibration`` section is the chain's config (``engine``
            is then not used); without one, the default chain.

    Paths are taken as ``nanokit measure`` takes them
    (:func:`~nanokit.measure.pipeline.collect_images`): a missing file gives a failed record,
    not an error; a folder without images, an unknown engine name or a bad config raises
    :class:`NanokitError`.
    """
    from ..measure.pipeline import collect_images
    from ..utils.progress import progress

    files = [Path(job.path) for job in collect_images(list(paths))]
    cfg = None
    if config is not None:
        from ..config import load_config

        cfg = load_config(config).get("calibration")
        if cfg is None:
            raise NanokitError(f"{config}: no calibration= section")
        cfg = cfg.to_dict() if hasattr(cfg, "to_dict") else dict(cfg)
    chain = build_chain(chain_config(engine=engine, base=cfg))
    return [chain(f) for f in progress(files, "scale bars", quiet=quiet)]


def format_table(records: list[CalibrationRecord]) -> str:
    """A readable table: image, status, nm/px, source, label, bar length, error or flags."""
    header = (
        f"{'image':<40} {'ok':<3} {'nm/px':>10} {'source':<9} {'label':<12} {'bar px':>8}  notes"
    )
    lines = [header, "-" * len(header)]
    for r in records:
        label = f"{r.value:g} {r.unit}" if r.value is not None else ""
        nm = f"{r.nm_per_px:.4g}" if r.nm_per_px is not None else ""
        bar = f"{r.bar_px:.1f}" if r.bar_px is not None else ""
        notes = r.error or ", ".join(r.flags)
        lines.append(
            f"{r.image[:40]:<40} {'yes' if r.ok else 'no':<3} {nm:>10} {r.source:<9} "
            f"{label:<12} {bar:>8}  {notes}"
        )
    return "\n".join(lines)
