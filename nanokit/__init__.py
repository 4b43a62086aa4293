"""nanokit: calibrated nanoparticle size distributions from SEM/TEM micrographs.

Importing nanokit is cheap: torch, timm, OpenCV and OCR libraries load only when a
component that needs them is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "build_model", "load_config"]

if TYPE_CHECKING:
    from .config import load_config
    from .models.builder import build_model


def __getattr__(name: str) -> Any:
    if name == "build_model":
        from .models.builder import build_model

        return build_model
    if name == "load_config":
        from .config import load_config

        return load_config
    raise AttributeError(f"module 'nanokit' has no attribute {name!r}")
