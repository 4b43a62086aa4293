"""Install a copy of a plugin package from plugins/ into a folder, as a user's pip would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"


def install_copy(package: str, tmp: Path) -> Path:
    """pip-installs a copy of ``plugins/<package>`` into ``tmp/site`` (no deps, no index) and
    returns that folder, for the caller to put on ``sys.path``."""
    source = tmp / "src"
    shutil.copytree(PLUGINS / package, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    target = tmp / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(target), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    return target
