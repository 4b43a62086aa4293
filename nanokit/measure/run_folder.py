"""The manifest of a measure output folder and its typed reader, :func:`load_run`.

``nanokit measure`` appends one JSON line per finished image to ``manifest.jsonl``: the image's
name and file key, its source file, pixel size, status and the files written for it, with
checksums of the label image and the ROI set so that ``nanokit remeasure`` can tell which of
them were edited by hand (in napari or Fiji) since.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import NanokitError
from ..sizing.frame import Frame, valid_rows

#: The manifest file of an output folder: one JSON object per image and line.
MANIFEST = "manifest.jsonl"
#: Per image, the file each kind of output is written to (relative to the output folder).
FILE_PATTERNS = {
    "mask": "masks/{key}.png",
    "rois": "rois/{key}.zip",
    "tiff": "fiji/{key}.tif",
    "overlay": "overlays/{key}.png",
    "histogram": "histograms/{key}.png",
}
#: The outputs a person may edit; their checksums are kept.
EDITABLE = ("mask", "rois")


def sha256(path: Path) -> str | None:
    """Hex SHA-256 of a file, None when it does not exist."""
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class ImageRecord:
    """One image of a run, as the manifest records it.

    Attributes:
        image: its name in images.csv and particles.csv.
        key: file-safe key of its files (``masks/<key>.png``, ``rois/<key>.zip``, ...).
        source: absolute path of the input image (None if unknown).
        nm_per_px: pixel size; None for an uncalibrated image (sizes in px).
        status: its status in images.csv (``ok``, ``failed: ...``, ...).
        qc_flags: its QC flags.
        width, height: image size in px (None when it could not be read).
        files: absolute paths of the files written for it, by kind (see ``FILE_PATTERNS``).
        checksums: SHA-256 of the editable files (``mask``, ``rois``) as written.
        corrected: how it was corrected by hand (``"mask"`` or ``"rois"``), None if not.
        databar_rows: inclusive rows ``(y0, y1)`` of the instrument data bar, if any.
        frames: ``(top, bottom, left, right)`` of the image proper, inside the data bar and any
            uniform margin, or of each panel of a figure (:class:`~nanokit.sizing.frame.Frame`);
            None in runs of an older nanokit (see :attr:`image_frames`).
        scalebar_box, label_box: ``[x0, y0, x1, y1]`` of the scale bar and its label, if read.
        calibration: what the calibration chain found (``source``, ``scalebar_value``,
            ``scalebar_unit``, ``scalebar_bar_px``, ``ocr_text`` as in images.csv, and
            ``metadata_nm_per_px``, ``metadata_vendor``, ``scalebar_nm_per_px``,
            ``nm_per_px_uncertainty``, ``decision``).
        stats: :func:`~nanokit.measure.stats.summarize` of its measured diameters (nm, or px
            when uncalibrated), computed when it was measured; None if not recorded.
    """

    image: str
    key: str
    source: Path | None
    nm_per_px: float | None
    status: str
    qc_flags: tuple[str, ...] = ()
    width: int | None = None
    height: int | None = None
    files: dict[str, Path] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)
    corrected: str | None = None
    databar_rows: tuple[int, ...] | None = None
    frames: tuple[tuple[int, ...], ...] | None = None
    scalebar_box: tuple[float, ...] | None = None
    label_box: tuple[float, ...] | None = None
    calibration: dict[str, Any] = field(default_factory=dict)
    stats: dict[str, Any] | None = None

    @property
    def scale_uncertainty(self) -> float:
        """Relative uncertainty of ``nm_per_px`` (0 where none is known: metadata, a manual
        value, no calibration, a run of an older nanokit)."""
        uncertainty = self.calibration.get("nm_per_px_uncertainty")
        return float(uncertainty) / self.nm_per_px if uncertainty and self.nm_per_px else 0.0

    @property
    def image_frames(self) -> list[Frame]:
        """The image proper or its panels: :attr:`frames`, or in runs of an older nanokit,
        which found no margins, the full width outside the data bar."""
        if self.frames is not None:
            return [Frame(*frame) for frame in self.frames]
        top, bottom = valid_rows(self.height or 0, self.databar_rows)
        return [Frame(top, bottom, 0, self.width or 0)]

    @property
    def unit(self) -> str:
        """Unit of its sizes: ``nm``, or ``px`` when uncalibrated."""
        return "nm" if self.nm_per_px else "px"

    @property
    def mask_path(self) -> Path | None:
        """The uint16 label image (``masks/<key>.png``), if written."""
        return self.files.get("mask")

    @property
    def roi_path(self) -> Path | None:
        """The ImageJ ROI set (``rois/<key>.zip``), if written."""
        return self.files.get("rois")

    @property
    def tiff_path(self) -> Path | None:
        """The image as an ImageJ TIFF with its pixel size (``fiji/<key>.tif``), if written."""
        return self.files.get("tiff")

    @property
    def overlay_path(self) -> Path | None:
        """The overlay PNG, if written."""
        return self.files.get("overlay")

    @property
    def histogram_path(self) -> Path | None:
        """The image's size histogram PNG, if written."""
        return self.files.get("histogram")

    def edited(self) -> list[str]:
        """Editable files (``"mask"``, ``"rois"``) that exist and differ from what was written."""
        edited = []
        for kind, digest in sorted(self.checksums.items()):
            now = sha256(self.files[kind]) if kind in self.files else None
            if now is not None and now != digest:
                edited.append(kind)
        return edited

    def to_json(self, out: Path) -> dict[str, Any]:
        """The manifest line of this record (file paths relative to ``out``)."""
        data = asdict(self)
        data["source"] = str(self.source) if self.source is not None else None
        data["qc_flags"] = list(self.qc_flags)
        for name in ("databar_rows", "scalebar_box", "label_box"):
            data[name] = None if data[name] is None else list(data[name])
        data["frames"] = None if self.frames is None else [list(f) for f in self.frames]
        data["files"] = {k: p.relative_to(out).as_posix() for k, p in self.files.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], out: Path) -> ImageRecord:
        """The record of one manifest line (file paths resolved under ``out``)."""
        return cls(
            image=data["image"],
            key=data["key"],
            source=Path(data["source"]) if data.get("source") else None,
            nm_per_px=data.get("nm_per_px"),
            status=data.get("status", ""),
            qc_flags=tuple(data.get("qc_flags") or ()),
            width=data.get("width"),
            height=data.get("height"),
            files={k: out / v for k, v in (data.get("files") or {}).items()},
            checksums=dict(data.get("checksums") or {}),
            corrected=data.get("corrected"),
            databar_rows=_ints(data.get("databar_rows")),
            frames=_frames(data.get("frames")),
            scalebar_box=_floats(data.get("scalebar_box")),
            label_box=_floats(data.get("label_box")),
            calibration=dict(data.get("calibration") or {}),
            stats=data.get("stats"),
        )


def _ints(values: Any) -> tuple[int, ...] | None:
    return None if values is None else tuple(int(v) for v in values)


def _frames(values: Any) -> tuple[tuple[int, ...], ...] | None:
    return None if values is None else tuple(_ints(f) for f in values)


def _floats(values: Any) -> tuple[float, ...] | None:
    return None if values is None else tuple(float(v) for v in values)


def image_record(
    out: Path,
    image: str,
    key: str,
    source: str | Path | None,
    row: dict[str, Any],
    written: bool = True,
    stats: dict[str, Any] | None = None,
) -> ImageRecord:
    """The record of an image from its images.csv ``row`` and ``stats``; with ``written``, its
    files were just written under ``out`` and the checksums of the editable ones are taken now."""
    files = {k: out / p.format(key=key) for k, p in FILE_PATTERNS.items()} if written else {}
    files = {k: p for k, p in files.items() if p.is_file()}
    checksums = {k: sha256(files[k]) for k in EDITABLE if k in files}
    flags = row.get("qc_flags") or ()
    return ImageRecord(
        image=image,
        key=key,
        source=Path(source).absolute() if source is not None else None,
        nm_per_px=row.get("nm_per_px") or None,
        status=row.get("status", ""),
        qc_flags=tuple(flags.split("; ") if isinstance(flags, str) else flags),
        width=row.get("width"),
        height=row.get("height"),
        files=files,
        checksums={k: v for k, v in checksums.items() if v is not None},
        corrected=row.get("corrected"),
        databar_rows=_ints(row.get("databar_rows")),
        frames=_frames(row.get("frames")),
        scalebar_box=_floats(row.get("scalebar_box")),
        label_box=_floats(row.get("label_box")),
        calibration=dict(row.get("calibration") or {}),
        stats=stats,
    )


@dataclass(frozen=True)
class RunFolder:
    """A measure output folder: its path and one record per image, sorted by image name."""

    out: Path
    images: tuple[ImageRecord, ...]

    def __getitem__(self, image_or_key: str) -> ImageRecord:
        """The record of an image, by its name or its key."""
        for record in self.images:
            if image_or_key in (record.image, record.key):
                return record
        raise KeyError(image_or_key)

    @property
    def images_csv(self) -> Path:
        return self.out / "images.csv"

    @property
    def particles_csv(self) -> Path:
        return self.out / "particles.csv"


def read_manifest(out: Path) -> dict[str, ImageRecord]:
    """Records of ``out``'s manifest by image name (a later line replaces an earlier one)."""
    path = out / MANIFEST
    records: dict[str, ImageRecord] = {}
    if not path.is_file():
        return records
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = ImageRecord.from_json(json.loads(line), out)
        except (ValueError, KeyError, TypeError) as exc:
            raise NanokitError(f"{path}:{number}: not a manifest record ({exc})") from None
        records[record.image] = record
    return records


def write_manifest(out: Path, records: list[ImageRecord]) -> None:
    """Replace ``out``'s manifest with ``records`` (atomically)."""
    path = out / MANIFEST
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(_line(r, out) for r in records), encoding="utf-8")
    os.replace(tmp, path)


def append_manifest(out: Path, record: ImageRecord) -> None:
    """Append one record to ``out``'s manifest, flushed to disk."""
    with (out / MANIFEST).open("a", encoding="utf-8") as fh:
        fh.write(_line(record, out))
        fh.flush()
        os.fsync(fh.fileno())


def _line(record: ImageRecord, out: Path) -> str:
    return json.dumps(record.to_json(out), ensure_ascii=False) + "\n"


def load_run(out: str | Path) -> RunFolder:
    """The images of a ``nanokit measure`` output folder, as typed records.

    Raises:
        NanokitError: ``out`` is not a measure output folder (no manifest), or the manifest
            is damaged.
    """
    out = Path(out).absolute()
    if not (out / MANIFEST).is_file():
        raise NanokitError(f"{out} is not a nanokit measure output folder (no {MANIFEST})")
    records = read_manifest(out)
    return RunFolder(out, tuple(sorted(records.values(), key=lambda r: r.image)))


def with_checksums(record: ImageRecord, corrected: str | None) -> ImageRecord:
    """``record`` after its files were rewritten: fresh checksums, ``corrected`` set."""
    checksums = {k: sha256(record.files[k]) for k in EDITABLE if k in record.files}
    return replace(
        record,
        checksums={k: v for k, v in checksums.items() if v is not None},
        corrected=corrected or record.corrected,
    )
