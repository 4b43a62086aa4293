"""Whole segmentation networks; importing this package registers them."""

from .encoder_decoder import EncoderDecoder

__all__ = ["EncoderDecoder"]
