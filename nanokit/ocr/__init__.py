"""Text recognition for scale-bar labels: engines, the default engine, the unit parser.

Importing this package imports no OCR library; each engine loads its own on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engines.base import BaseOCREngine

#: The engine ``measure`` and ``scalebar`` use unless told otherwise: the best one in
#: ``nanokit bench-ocr`` on the real scale-bar images (see docs/ocr.md).
DEFAULT_ENGINE = "rapidocr"


def build_engine(name_or_cfg: str | dict[str, Any] | BaseOCREngine | None = None) -> BaseOCREngine:
    """An OCR engine from a short name (``rapidocr``), a registered type (``RapidOCREngine``),
    a config dict (``dict(type="TesseractEngine", tessdata=...)``) or an engine (returned as is).

    None gives :data:`DEFAULT_ENGINE`. The engine's library is not loaded until its first read.

    Raises:
        NanokitError: unknown name, with the registered ones.
    """
    from ..registry import OCR_ENGINES, build
    from .engines.base import BaseOCREngine

    if isinstance(name_or_cfg, BaseOCREngine):
        return name_or_cfg
    cfg = dict(name_or_cfg) if isinstance(name_or_cfg, dict) else {"type": name_or_cfg}
    cfg["type"] = engine_type(cfg.get("type") or DEFAULT_ENGINE)
    return build(OCR_ENGINES, cfg)


def engine_type(name: str) -> str:
    """The registered type for ``name`` (type, short name or pip extra, any case); else ``name``.

    ``RapidOCREngine``, ``rapidocr``; ``PaddleOCREngine``, ``paddleocr``, ``paddle``.
    """
    from ..plugins import load_plugins
    from ..registry import OCR_ENGINES

    load_plugins()
    OCR_ENGINES.import_from_location()
    wanted = name.strip().lower()
    for type_name, cls in OCR_ENGINES.module_dict.items():
        aliases = (type_name, getattr(cls, "name", ""), getattr(cls, "extra", ""))
        if wanted in (str(a).lower() for a in aliases if a):
            return type_name
    return name
