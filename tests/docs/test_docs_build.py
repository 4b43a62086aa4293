"""The documentation site builds offline with ``mkdocs build --strict`` (broken links, missing
pages, API objects that no longer exist and unreadable docstrings all fail it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install 'nanokit[docs]')")
pytest.importorskip("material", reason="mkdocs-material is not installed")
pytest.importorskip("mkdocstrings_handlers.python", reason="mkdocstrings-python is not installed")


def test_docs_build_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = dict(os.environ)
    # Offline: no proxy, no network lookups by any plugin; the build must not need them.
    for key in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env.pop(key, None)
    env["NO_PROXY"] = "*"
    env["NANOKIT_DISABLE_PLUGINS"] = "1"
    env["NO_MKDOCS_2_WARNING"] = "1"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "--config-file",
            str(ROOT / "mkdocs.yml"),
            "--site-dir",
            str(site),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "nanokit" in index
    assert "fonts.googleapis.com" not in index, "theme.font must stay false (offline)"
    assert (site / "api" / "apis" / "index.html").exists()
    api = (site / "api" / "apis" / "index.html").read_text(encoding="utf-8")
    assert 'id="nanokit.apis.measure.measure"' in api, "API page generated from docstrings"
    shutil.rmtree(site, ignore_errors=True)
