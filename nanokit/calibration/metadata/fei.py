"""FEI / Thermo Fisher SEM TIFFs: tag 34682 (FEI_HELIOS) or 34680 (FEI_SFEG), ``[Scan] PixelWidth``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: TIFF tags holding the FEI metadata (tifffile parses both into a dict of sections).
TAGS = (34682, 34680)


def pixel_size_nm(tags: Mapping[int, Any]) -> float | None:
    """nm per px from the ``[Scan] PixelWidth`` (metres) of an FEI/Thermo TIFF, or None."""
    for code in TAGS:
        meta = tags.get(code)
        if isinstance(meta, Mapping):
            width = (meta.get("Scan") or {}).get("PixelWidth")
            if isinstance(width, (int, float)) and width > 0:
                return float(width) * 1e9
    return None
