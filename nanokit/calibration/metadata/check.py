"""Checking a metadata pixel size against the image it describes.

A resized image keeps the tags of the stored one: its pixel size is then the scanned field over
its own width, not the tag's value. Vendors that record the field of view and the width the tag
was written for are checked here; the result says which value holds for the image and why.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Largest relative difference between the tag's pixel size and field / width that passes.
TOLERANCE = 0.01
#: Check results: the tag agrees with the image, was rescaled to it, contradicts it, the
#: metadata holds nothing to check it with, or a user set it (ImageJ) and nothing checks it.
STATUSES = ("consistent", "rescaled", "inconsistent", "unchecked", "user-set")


@dataclass(frozen=True)
class MetadataCheck:
    """What the metadata says about this image.

    Attributes:
        status: one of :data:`STATUSES`.
        nm_per_px: the pixel size that holds for the image (rescaled where ``status`` says so).
        note: why, in one sentence (empty for ``consistent`` and ``unchecked``).
    """

    status: str
    nm_per_px: float
    note: str = ""

    @property
    def failed(self) -> bool:
        """Whether the tag's own value does not hold for this image as it is."""
        return self.status in ("rescaled", "inconsistent")


def check_field(
    stored_nm: float, field_nm: float | None, width: int, written_width: int | None
) -> MetadataCheck:
    """The tag's pixel size ``stored_nm`` checked against an image ``width`` px wide.

    Args:
        stored_nm: the pixel size in the tag, nm.
        field_nm: the scanned field's width in the metadata, nm (None: not recorded).
        width: the width of the pixels being calibrated, px.
        written_width: the width the tag was written for, px (None: not recorded).

    Returns:
        ``rescaled`` when the image is not the width the tag was written for (field / width,
        or the tag's value times written / actual width without a field); ``consistent`` when
        field / width is the tag's value within :data:`TOLERANCE`; ``inconsistent`` when it is
        not (the value stays the tag's); ``unchecked`` without a field or written width.
    """
    if written_width and written_width != width:
        value = field_nm / width if field_nm else stored_nm * written_width / width
        return MetadataCheck(
            "rescaled",
            value,
            f"image is {width} px wide but its metadata describes {written_width} px: "
            f"pixel size {stored_nm:.4g} nm rescaled to {value:.4g} nm",
        )
    if not field_nm:
        return MetadataCheck("unchecked", stored_nm)
    implied = field_nm / width
    if abs(implied / stored_nm - 1) <= TOLERANCE:
        return MetadataCheck("consistent", stored_nm)
    return MetadataCheck(
        "inconsistent",
        stored_nm,
        f"metadata pixel size {stored_nm:.4g} nm does not match its field of view "
        f"{field_nm:.4g} nm over {width} px ({implied:.4g} nm)",
    )
