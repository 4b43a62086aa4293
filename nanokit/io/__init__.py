"""Reading micrographs (any bit depth, colour or alpha) as 8-bit grey."""

from .images import (
    IMAGE_SUFFIXES,
    ImageReadError,
    LoadedImage,
    list_images,
    read_array,
    read_image,
    to_grey8,
)

__all__ = [
    "IMAGE_SUFFIXES",
    "ImageReadError",
    "LoadedImage",
    "list_images",
    "read_array",
    "read_image",
    "to_grey8",
]
