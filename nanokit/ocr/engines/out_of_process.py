"""An OCR engine whose library lives in another environment and runs in a worker process."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ...errors import NanokitError
from ..worker import WorkerProcess
from .base import BaseOCREngine, OcrResult

#: The repository root, where ``make`` creates the worker environments.
REPO_ROOT = Path(__file__).resolve().parents[3]

#: Serialises worker starts: threads reading through one engine (a shared engine serves each
#: pool process in a thread of its own) must start one worker, not one each.
_START_LOCK = threading.Lock()


class OutOfProcessEngine(BaseOCREngine):
    """An engine that reads crops through one long-lived :class:`~nanokit.ocr.worker.WorkerProcess`.

    For engines whose dependencies clash with nanokit's environment. A subclass names the worker
    environment (``venv``, created by ``make <make_target>``), the worker-side engine script
    (``script``: a file with ``load(**options) -> read``, importing no nanokit) and the options
    passed to ``load``; it may convert crops in :meth:`prepare`. The worker starts on the first
    read (so a run that never reads a label starts none) and stops with :meth:`close` or at exit.

    Args:
        python: the worker environment's Python; None = ``<repository>/<venv>/bin/python``.
        start_timeout: seconds for the worker to start and load its models.
        read_timeout: seconds for one read; a crash or timeout restarts the worker once.
    """

    venv: ClassVar[str] = ""
    make_target: ClassVar[str] = ""
    script: ClassVar[Path]

    def __init__(
        self, python: str | None = None, start_timeout: float = 120.0, read_timeout: float = 30.0
    ) -> None:
        super().__init__()
        self.python = Path(python) if python else self.default_python()
        self.start_timeout = start_timeout
        self.read_timeout = read_timeout
        self.worker: WorkerProcess | None = None
        self._start_error: NanokitError | None = None

    @classmethod
    def default_python(cls) -> Path:
        """``<repository>/<venv>``'s Python executable."""
        if os.name == "nt":
            return REPO_ROOT / cls.venv / "Scripts" / "python.exe"
        return REPO_ROOT / cls.venv / "bin" / "python"

    @classmethod
    def is_available(cls) -> bool:
        """Whether the worker environment exists (its default Python)."""
        return cls.default_python().is_file()

    @classmethod
    def install_hint(cls) -> str:
        """How to set up the worker environment."""
        return f"make {cls.make_target}"

    def options(self) -> dict[str, Any]:
        """Keyword arguments of the worker script's ``load`` (JSON values)."""
        return {}

    def prepare(self, crop: np.ndarray) -> np.ndarray:
        """The array sent to the worker for ``crop`` (default: as is)."""
        return crop

    def close(self) -> None:
        """Stop the worker (a later read starts a new one)."""
        if self.worker is not None:
            self.worker.close()

    def _load(self) -> None:
        """Start the worker once; a failed start is remembered, not retried on every crop."""
        with _START_LOCK:
            if self.worker is not None and self._start_error is None:
                return  # another thread started it
            if self._start_error is None:
                try:
                    self._start()
                    return
                except NanokitError as exc:
                    self._start_error = exc
            raise self._start_error

    def _start(self) -> None:
        if not self.python.is_file():
            raise NanokitError(
                f"{self.name}: its environment is missing ({self.python}): run "
                f"'{self.install_hint()}'"
            )
        self.worker = WorkerProcess(
            self.name,
            self.python,
            self.script,
            self.options(),
            self.start_timeout,
            self.read_timeout,
        )
        try:
            self.worker.start()
        except NanokitError as exc:
            raise NanokitError(
                f"{exc} (its environment comes from '{self.install_hint()}')"
            ) from None

    def _read(self, crop: np.ndarray, allowlist: str | None) -> OcrResult:
        assert self.worker is not None
        answer = self.worker.read(self.prepare(crop), allowlist)
        x0, y0, x1, y1 = answer["box"]
        return OcrResult(answer["text"], (x0, y0, x1, y1), answer["confidence"])
