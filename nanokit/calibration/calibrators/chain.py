"""SPEC's calibration order in one place: manual, then metadata, then the scale bar.

Every command calibrates through a :class:`CalibrationChain` built from a ``calibration=``
config (:func:`chain_config` gives the default one for the command-line options).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import NanokitError
from ...registry import CALIBRATORS, build
from ..crosscheck import DISAGREE, cross_check
from ..record import CalibrationRecord
from .base import BaseCalibrator


def chain_config(
    scale: float | None = None,
    scales: dict[str, float] | None = None,
    scalebar: str = "auto",
    engine: str | dict[str, Any] | None = None,
    base: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``calibration=`` config for command-line options.

    Args:
        scale: nm per px for every image: a manual calibrator first.
        scales: nm per px per image name or stem: a manual calibrator first.
        scalebar: ``"off"`` leaves the scale-bar calibrator out.
        engine: OCR engine of the default scale-bar calibrator.
        base: a config's ``calibration=`` section to start from instead of the default
            (metadata, then the scale bar read with ``engine``).
    """
    if scalebar not in ("auto", "off"):
        raise NanokitError(f"scalebar must be 'auto' or 'off', got {scalebar!r}")
    cfg = dict(base or {"type": "CalibrationChain"})
    calibrators = [dict(c) for c in cfg.get("calibrators") or _DEFAULT]
    if engine is not None and base is None:
        calibrators[-1]["engine"] = engine
    if scalebar == "off":
        calibrators = [c for c in calibrators if c["type"] != "ScalebarCalibrator"]
    if scale is not None or scales:
        calibrators.insert(0, dict(type="ManualCalibrator", scale=scale, scales=scales))
    cfg["calibrators"] = calibrators
    return cfg


#: The calibrators after the manual one, in SPEC's order.
_DEFAULT = (dict(type="MetadataCalibrator"), dict(type="ScalebarCalibrator", engine=None))


def build_chain(cfg: dict[str, Any] | CalibrationChain | None = None) -> CalibrationChain:
    """A chain from its config (None: :func:`chain_config`'s default), or the chain itself."""
    if isinstance(cfg, CalibrationChain):
        return cfg
    return build(CALIBRATORS, dict(cfg or chain_config()))


@CALIBRATORS.register_module()
class CalibrationChain:
    """Calibrators in SPEC's order; one record per image, never raising for a bad image.

    The first calibrator that succeeds wins, except that a metadata value is always read
    together with the scale bar that follows it: both are kept, a difference over ``disagree``
    is flagged and :func:`~nanokit.calibration.crosscheck.cross_check` chooses.

    Args:
        calibrators: CALIBRATORS configs or calibrators, in order (typically manual, metadata,
            scale bar; any may be left out).
        disagree: relative difference between metadata and scale bar that is flagged.
    """

    def __init__(
        self,
        calibrators: Sequence[dict[str, Any] | BaseCalibrator] = (),
        disagree: float = DISAGREE,
    ) -> None:
        self.calibrators = [
            c if isinstance(c, BaseCalibrator) else build(CALIBRATORS, dict(c)) for c in calibrators
        ]
        self.disagree = disagree

    def __call__(self, path: str | Path, image: np.ndarray | None = None) -> CalibrationRecord:
        """The record of the image at ``path`` (pixels from ``image`` when already read)."""
        path = Path(path)
        pixels = _Pixels(path, image)
        found: CalibrationRecord | None = None
        errors: list[str] = []
        for calibrator in self.calibrators:
            if calibrator.source == "scalebar":
                return self._with_bar(calibrator, path, pixels, found, errors)
            if found is not None:
                continue  # after metadata, only the scale bar
            record = calibrator.calibrate(path, pixels.grey() if calibrator.needs_pixels else None)
            if not record.ok:
                errors.append(record.error)
            elif calibrator.source == "metadata":
                found = record
            else:
                record.decision = record.decision or record.source
                return record
        if found is not None:
            found.decision = f"metadata ({found.metadata_check}); scale-bar reading is off"
            return found
        errors.append("scale-bar reading is off")
        return CalibrationRecord(image=path.name, error="; ".join(e for e in errors if e))

    def _with_bar(
        self,
        calibrator: BaseCalibrator,
        path: Path,
        pixels: _Pixels,
        found: CalibrationRecord | None,
        errors: list[str],
    ) -> CalibrationRecord:
        """The scale-bar reading, alone or cross-checked with the metadata record ``found``."""
        grey = pixels.grey()
        if grey is None:
            if found is not None:
                found.flags.append(f"scale bar not read: {pixels.error}")
                found.decision = f"metadata ({found.metadata_check}); scale bar not read"
                return found
            return CalibrationRecord(image=path.name, error="; ".join([*errors, pixels.error]))
        bar = calibrator.calibrate(path, grey)
        if found is not None:
            return cross_check(found, bar, self.disagree)
        if bar.ok:
            bar.decision = "scale bar: no metadata"
        else:
            bar.error = "; ".join(e for e in [*errors, bar.error] if e)
        return bar


class _Pixels:
    """The image's (H, W) uint8 grey, read once on first use; ``error`` says why not."""

    def __init__(self, path: Path, image: np.ndarray | None) -> None:
        self.path, self.image = path, image
        self._grey: np.ndarray | None = None
        self.error = ""
        self._done = False

    def grey(self) -> np.ndarray | None:
        if not self._done:
            self._done = True
            self._grey, self.error = self._read()
        return self._grey

    def _read(self) -> tuple[np.ndarray | None, str]:
        from ...scalebar.reader import to_grey_uint8

        try:
            if self.image is None:
                from ...io.images import read_image

                return read_image(self.path).grey, ""
            return to_grey_uint8(self.image), ""
        except NanokitError as exc:
            return None, f"{self.path.name}: {exc}"
