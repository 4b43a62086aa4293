"""Importing nanokit (and its registries) stays cheap: no torch, OpenCV or OCR libraries."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("torch", "timm", "cv2", "rapidocr", "easyocr", "paddleocr", "tesserocr", "onnxruntime")


def test_import_nanokit_loads_no_heavy_library() -> None:
    code = (
        "import sys, nanokit, nanokit.registry, nanokit.plugins, nanokit.cli.main\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_lazy_public_api() -> None:
    import nanokit

    assert callable(nanokit.build_model)
    assert callable(nanokit.load_config)
    assert nanokit.__version__
