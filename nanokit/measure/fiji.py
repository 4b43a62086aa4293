"""Fiji/ImageJ files of a run: ROI sets (one polygon per particle) and calibrated TIFFs.

A ROI set is a zip of ImageJ ``.roi`` files (written and read with ``roifile``). Each particle
is one polygon through the centres of its outer boundary pixels, named by its ``particle_id``
and carrying the image's name in its ImageJ properties (``nanokit_image``), so that a ROI set
saved for another image is recognised. Filling the polygons gives back the particles' pixels.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import cv2
import numpy as np
from scipy import ndimage

from ..errors import NanokitError

#: ImageJ ROI property naming the image a ROI was written for.
IMAGE_PROPERTY = "nanokit_image"


class RoiSetError(NanokitError):
    """A ROI set that cannot be turned into the labels of its image."""


def label_polygons(labels: np.ndarray) -> dict[int, np.ndarray]:
    """Per label, the (n, 2) integer x, y polygon of its largest part's outer boundary."""
    polygons: dict[int, np.ndarray] = {}
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None:
            continue
        crop = (labels[box] == index).astype(np.uint8)
        contours, _ = cv2.findContours(crop, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        contour = max(contours, key=cv2.contourArea)[:, 0, :]
        polygons[index] = contour + [box[1].start, box[0].start]
    return polygons


def write_roi_set(path: Path, labels: np.ndarray, image: str) -> None:
    """Write the particles of ``labels`` as an ImageJ ROI set (polygons named by label)."""
    from roifile import ROI_TYPE, ImagejRoi, roiwrite

    rois = []
    for index, points in label_polygons(labels).items():
        roi = ImagejRoi.frompoints(points, name=str(index))
        roi.roitype = ROI_TYPE.POLYGON
        roi.properties = {IMAGE_PROPERTY: image}
        rois.append(roi)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.zip")
    tmp.unlink(missing_ok=True)
    roiwrite(tmp, rois, mode="w")
    tmp.replace(path)


def read_roi_set(
    path: Path, shape: tuple[int, int], image: str, ids: set[int]
) -> tuple[np.ndarray, list[int]]:
    """Rasterise an (edited) ROI set into a label image.

    ROIs named by one of ``ids`` (this image's particle ids) keep that id; ROIs with other,
    non-numeric names (drawn in Fiji) get new ids after the largest. Later ROIs are drawn over
    earlier ones where they overlap.

    Returns:
        The (H, W) uint16 labels and the ids of the new ROIs.

    Raises:
        RoiSetError: unreadable zip, a ROI written for another image, a numeric name that is
            no particle of this image or used twice, a ROI outside the image.
    """
    from roifile import roiread

    height, width = shape
    try:
        rois = roiread(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, IndexError) as exc:
        raise RoiSetError(f"{path.name}: not a readable ImageJ ROI set ({exc})") from None
    rois = rois if isinstance(rois, list) else [rois]
    named: dict[int, np.ndarray] = {}
    drawn: list[np.ndarray] = []
    for roi in rois:
        owner = roi.properties.get(IMAGE_PROPERTY)
        if owner is not None and str(owner) != image:
            raise RoiSetError(
                f"{path.name}: ROI {roi.name!r} belongs to image {owner}, not {image}"
            )
        points = np.asarray(roi.coordinates(), dtype=np.float64)
        if points.size == 0:
            continue
        if (
            points[:, 0].max() < 0
            or points[:, 1].max() < 0
            or points[:, 0].min() >= width
            or points[:, 1].min() >= height
        ):
            raise RoiSetError(
                f"{path.name}: ROI {roi.name!r} lies outside the {width}x{height} image {image}"
            )
        name = (roi.name or "").strip()
        if name.isdigit():
            index = int(name)
            if index not in ids or index in named:
                why = "is used twice" if index in named else "is no particle"
                raise RoiSetError(f"{path.name}: ROI name {name} {why} of {image}")
            named[index] = points
        else:
            drawn.append(points)
    next_id = max([*ids, 0]) + 1
    new = list(range(next_id, next_id + len(drawn)))
    labels = np.zeros(shape, np.uint16)
    for index, points in [*named.items(), *zip(new, drawn, strict=True)]:
        cv2.fillPoly(labels, [np.round(points).astype(np.int32)], int(index))
    return labels, new


def write_imagej_tiff(path: Path, grey: np.ndarray, nm_per_px: float | None) -> None:
    """Write ``grey`` as an ImageJ TIFF; with ``nm_per_px``, calibrated in nm (Fiji's
    Analyze > Set Scale shows it)."""
    import tifffile

    path.parent.mkdir(parents=True, exist_ok=True)
    if nm_per_px:
        tifffile.imwrite(
            path,
            grey,
            imagej=True,
            resolution=(1.0 / nm_per_px, 1.0 / nm_per_px),
            metadata={"unit": "nm"},
        )
    else:
        tifffile.imwrite(path, grey, imagej=True)
