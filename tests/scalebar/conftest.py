"""One OCR engine for every scale-bar test (loading the model is the slow part)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def ocr_engine():
    """The default OCR engine, loaded once; skips where its library is not installed."""
    from nanokit.ocr import DEFAULT_ENGINE, build_engine

    engine = build_engine(DEFAULT_ENGINE)
    if not engine.is_available():
        pytest.skip(f"OCR engine {DEFAULT_ENGINE} is not installed")
    return engine
