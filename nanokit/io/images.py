"""Reading micrographs as 8-bit grey images, whatever their file format and bit depth."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import NanokitError
from .colour_marks import LUMA, find_marks, marks_grey
from .microscope import MICROSCOPE_SUFFIXES, read_microscope

#: File suffixes that ``nanokit measure`` picks up in folders (a TIA .emi only describes its
#: .ser files, which are picked up themselves; it is read when named).
IMAGE_SUFFIXES = (".tif", ".tiff", ".png", ".jpg", ".jpeg", ".bmp") + tuple(
    s for s in MICROSCOPE_SUFFIXES if s != ".emi"
)
#: Smallest side (px) an image may have: the network's minimum input.
MIN_SIDE = 64
#: Largest image (px) read, against decompression bombs and exhausted memory.
MAX_PIXELS = 200_000_000


def list_images(folder: str | Path) -> list[Path]:
    """The image files (:data:`IMAGE_SUFFIXES`) directly in ``folder``, sorted by path."""
    return sorted(
        p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
    )


class ImageReadError(NanokitError):
    """A file that cannot be used as an image; the message says why in a few words."""


@dataclass
class LoadedImage:
    """A micrograph as (H, W) uint8 grey, plus what was done to get there.

    Attributes:
        grey: (H, W) uint8 image.
        flags: notes on the conversion, e.g. ``16-bit rescaled to 8-bit``, ``alpha dropped``.
        marks: (H, W) bool mask of coloured marks drawn over a grey micrograph (a scale bar,
            arrows, circles: :func:`~nanokit.io.colour_marks.find_marks`), or None.
    """

    grey: np.ndarray
    flags: list[str] = field(default_factory=list)
    marks: np.ndarray | None = None


def read_image(path: str | Path) -> LoadedImage:
    """Read an image file as 8-bit grey.

    TIFFs are read with tifffile (first page; vendor metadata stays in the file for the
    calibration), microscope formats (.dm3, .dm4, .ser, .emi, .emd, .mrc) with rosettasciio
    (the first 2-D image), other formats with OpenCV. Colour becomes grey (coloured marks on a
    grey micrograph white or black, except in a JPEG, which keeps colour at half the resolution
    of luminance: see :func:`to_grey8`), an alpha channel is dropped,
    16-bit, 32-bit and float images are rescaled to 0-255 from their own range, a few outlier
    pixels left out (:func:`_rescale`). The flags say so, and ``first of N frames`` where a
    stack held more images than the one read.

    Raises:
        ImageReadError: missing, unreadable or corrupt file, unsupported format or layout, an
            image smaller than ``MIN_SIDE`` or larger than ``MAX_PIXELS``.
    """
    data, flags = _read(path)
    loaded = to_grey8(data, set_off_marks=not _is_jpeg(Path(path)))
    return LoadedImage(grey=loaded.grey, flags=[*flags, *loaded.flags], marks=loaded.marks)


def _is_jpeg(path: Path) -> bool:
    """Whether the file is a JPEG (by its first bytes, whatever its suffix)."""
    with path.open("rb") as fh:
        return fh.read(3) == b"\xff\xd8\xff"


def read_array(path: str | Path) -> np.ndarray:
    """Read an image file as stored: (H, W) or (H, W, C) in RGB(A) order, original dtype
    (the first frame of a stack).

    Raises:
        ImageReadError: missing, unreadable or corrupt file, unsupported format, an image
            larger than ``MAX_PIXELS``.
    """
    return _read(path)[0]


def _read(path: str | Path) -> tuple[np.ndarray, list[str]]:
    """(the array :func:`read_array` returns, what the reader chose, e.g. ``first of 2
    frames``)."""
    path = Path(path)
    if not path.is_file():
        raise ImageReadError("file not found")
    suffix = path.suffix.lower()
    if suffix in MICROSCOPE_SUFFIXES:
        try:
            image = read_microscope(path)
        except NanokitError as exc:
            raise ImageReadError(str(exc).removeprefix(f"{path.name}: ")) from None
        return image.data, list(image.flags)
    if suffix not in IMAGE_SUFFIXES:
        raise ImageReadError(f"unsupported format {path.suffix or '(no suffix)'}")
    if suffix in (".tif", ".tiff"):
        return _read_tiff(path)
    return _read_other(path), []


def _read_tiff(path: Path) -> tuple[np.ndarray, list[str]]:
    """(first page, ``first of N frames`` where the first series holds N > 1 pages: a stack,
    not a vendor file with a thumbnail, which tifffile keeps as a series of its own)."""
    import tifffile

    try:
        with tifffile.TiffFile(path) as tif:
            page = tif.pages[0]
            _check_size(int(np.prod(page.shape[:2])), page.shape)
            data = page.asarray()
            frames = len(tif.series[0].pages) if tif.series else 1
    except ImageReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - tifffile raises many types on a corrupt file
        raise ImageReadError(f"unreadable TIFF ({type(exc).__name__})") from None
    if data.ndim == 3 and data.shape[0] in (3, 4) and data.shape[-1] not in (3, 4):
        data = np.moveaxis(data, 0, -1)  # planar (C, H, W) -> (H, W, C)
    return data, [f"first of {frames} frames"] if frames > 1 else []


def _read_other(path: Path) -> np.ndarray:
    import cv2

    raw = np.fromfile(path, dtype=np.uint8)
    # OpenCV's decoders print their own warnings about broken files; the error below says it.
    level = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    try:
        data = cv2.imdecode(raw, cv2.IMREAD_UNCHANGED) if raw.size else None
    finally:
        cv2.utils.logging.setLogLevel(level)
    if data is None:
        raise ImageReadError("unreadable or corrupt image file")
    _check_size(data.shape[0] * data.shape[1], data.shape)
    if data.ndim == 3 and data.shape[2] >= 3:
        data = data[..., [2, 1, 0, *range(3, data.shape[2])]]  # OpenCV's BGR(A) -> RGB(A)
    return data


def _check_size(pixels: int, shape: tuple[int, ...]) -> None:
    if pixels > MAX_PIXELS:
        raise ImageReadError(f"image too large ({shape[1]}x{shape[0]} px)")


def to_grey8(data: np.ndarray, set_off_marks: bool = True) -> LoadedImage:
    """Any 2-D or (H, W, C) array -> :class:`LoadedImage` (uint8 grey).

    ``set_off_marks``: coloured marks on a grey micrograph (a yellow scale bar) become white
    or black (:func:`~nanokit.io.colour_marks.marks_grey`) rather than their luminance. Not
    for colour whose resolution was halved (JPEG): the marks' ends would move with it.

    Raises:
        ImageReadError: an unsupported layout, or an image smaller than ``MIN_SIDE``.
    """
    flags: list[str] = []
    marks = None
    if data.ndim == 3 and data.shape[2] in (2, 4):
        data = data[..., :-1]
        flags.append("alpha dropped")
    if data.ndim == 3 and data.shape[2] == 1:
        data = data[..., 0]
    if data.ndim == 3 and data.shape[2] == 3:
        if np.array_equal(data[..., 0], data[..., 1]) and np.array_equal(
            data[..., 0], data[..., 2]
        ):
            data = data[..., 0]
        else:
            data, marks = colour_to_grey(data, set_off_marks)
            flags.append("colour converted to grey")
            if marks is not None:
                flags.append("coloured marks")
    if data.ndim != 2:
        raise ImageReadError(f"unsupported image layout {data.shape}")
    height, width = data.shape
    if min(height, width) < MIN_SIDE:
        raise ImageReadError(f"image too small ({width}x{height} px, minimum {MIN_SIDE})")
    if data.dtype != np.uint8:
        depth = "16-bit" if data.dtype == np.uint16 else str(data.dtype)
        flags.append(f"{depth} rescaled to 8-bit")
        data = _rescale(data)
    return LoadedImage(grey=np.ascontiguousarray(data), flags=flags, marks=marks)


def colour_to_grey(
    rgb: np.ndarray, set_off_marks: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    """(H, W) grey of an (H, W, 3) RGB image of any dtype (uint8 stays uint8), and its coloured
    marks (:func:`~nanokit.io.colour_marks.find_marks`; None: none), which are set off white
    or black (:func:`~nanokit.io.colour_marks.marks_grey`) where ``set_off_marks``, else
    weighted to luminance like the rest."""
    marks = find_marks(rgb)
    if marks is not None and set_off_marks:
        return marks_grey(rgb, marks), marks
    grey = rgb.astype(np.float64) @ LUMA
    return (grey if rgb.dtype.kind == "f" else np.round(grey).astype(rgb.dtype)), marks


#: Share of the pixels at each end of a deep image's range left out of its rescaling to 8 bits
#: (ImageJ's auto contrast leaves out 0.35 %).
OUTLIER_SHARE = 1e-4


def _rescale(data: np.ndarray) -> np.ndarray:
    """Linear map of the range of ``data``'s finite values onto 0-255 (uint8), the darkest and
    brightest :data:`OUTLIER_SHARE` of the pixels left out: a few hot or dead pixels of a
    camera would otherwise squeeze the whole image into a few grey levels (30 saturated
    pixels in a 16-bit frame spanning 1000-4060: 14 levels instead of 256). Those pixels take
    the median of their 3 x 3 neighbourhood, so that they do not become specks either. Where
    they make up the range (a flat image with a few marks), the full range is used as it is."""
    values = data.astype(np.float64)
    finite = np.isfinite(values)
    if not finite.any():
        raise ImageReadError("image has no finite pixel values")
    kept = values[finite]
    lo, hi = np.quantile(kept, [OUTLIER_SHARE, 1.0 - OUTLIER_SHARE])
    if hi <= lo:
        lo, hi = kept.min(), kept.max()
    values = np.where(finite, values, lo)
    outliers = (values < lo) | (values > hi)
    scaled = (np.clip(values, lo, hi) - lo) / max(hi - lo, 1e-12) * 255.0
    grey = np.round(scaled).astype(np.uint8)
    if outliers.any():
        import cv2

        grey[outliers] = cv2.medianBlur(grey, 3)[outliers]
    return grey
