"""The engine side of an out-of-process OCR engine: one long-lived worker process.

The worker runs ``nanokit/ocr/workers/serve.py`` with another environment's Python and an engine
script (protocol in :mod:`nanokit.ocr.workers.serve`). A worker that crashes or does not answer
in time is restarted once for the same crop; a second failure is that crop's error. The worker
is shut down by :meth:`WorkerProcess.close`, at interpreter exit, and exits by itself when this
process dies.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

import numpy as np

from ..errors import NanokitError
from .workers.serve import PROTOCOL, encode_image

#: The worker-side protocol server, run by path.
SERVE_SCRIPT = Path(__file__).parent / "workers" / "serve.py"

#: Seconds a worker gets to answer ``shutdown`` before it is killed.
SHUTDOWN_TIMEOUT_S = 5.0


class WorkerError(NanokitError):
    """The worker could not start, or failed on a crop after one restart."""


class _WorkerLost(Exception):
    """The worker died or did not answer in time (restartable)."""


class WorkerProcess:
    """One worker process, started on demand and restarted once per failed request.

    Args:
        name: engine name, for messages (``paddleocr``).
        python: the other environment's Python executable.
        script: the worker-side engine script (``load(**options) -> read``).
        options: keyword arguments of the script's ``load``.
        start_timeout: seconds for the worker to load its engine.
        read_timeout: seconds for one read.
    """

    def __init__(
        self,
        name: str,
        python: Path,
        script: Path,
        options: dict[str, Any] | None = None,
        start_timeout: float = 120.0,
        read_timeout: float = 30.0,
    ) -> None:
        self.name = name
        self.python = Path(python)
        self.script = Path(script)
        self.options = dict(options or {})
        self.start_timeout = start_timeout
        self.read_timeout = read_timeout
        #: seconds the last start took (process start, imports, model load, handshake).
        self.start_s: float | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: IO[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        """The running worker's process id (None when none runs)."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def start(self) -> float:
        """Start the worker and wait for its engine to load; returns the seconds it took.

        Raises:
            WorkerError: the worker did not start, answer or load its engine.
        """
        with self._lock:
            return self._start()

    def read(self, image: np.ndarray, allowlist: str | None = None) -> dict[str, Any]:
        """The worker's answer (``text``, ``box``, ``confidence``) for ``image``.

        Starts the worker if none runs; a crash or timeout restarts it once for this image.

        Raises:
            WorkerError: the engine failed on the image, or the worker was lost twice.
        """
        request = {"op": "read", "image": encode_image(image), "allowlist": allowlist}
        with self._lock:
            for _ in range(2):
                if self._proc is None:
                    self._start()
                try:
                    answer = self._request(request, self.read_timeout)
                except _WorkerLost as exc:
                    self._kill()
                    lost = exc
                    continue
                if not answer.get("ok"):
                    raise WorkerError(f"{self.name} worker: {answer.get('error')}")
                return answer
        raise WorkerError(f"{self.name} worker {lost}, again after a restart; crop not read")

    def close(self) -> None:
        """Ask the worker to shut down; kill it if it does not within a few seconds."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                try:
                    self._request({"op": "shutdown"}, SHUTDOWN_TIMEOUT_S)
                    self._proc.wait(SHUTDOWN_TIMEOUT_S)
                except (_WorkerLost, subprocess.TimeoutExpired):
                    pass
            self._kill()

    def _start(self) -> float:
        if not self.python.is_file():
            raise WorkerError(f"{self.name}: no Python at {self.python}")
        begin = time.perf_counter()
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives with the worker, closed in _kill
        self._proc = subprocess.Popen(
            [str(self.python), str(SERVE_SCRIPT), str(self.script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            env=env,
        )
        self._lines = queue.Queue()
        threading.Thread(target=_pump, args=(self._proc.stdout, self._lines), daemon=True).start()
        atexit.register(self.close)
        hello = {"op": "hello", "protocol": PROTOCOL, "options": self.options}
        try:
            answer = self._request(hello, self.start_timeout)
        except _WorkerLost as exc:
            self._kill()
            raise WorkerError(f"{self.name} worker did not start: {exc}") from None
        if not answer.get("ok") or answer.get("protocol") != PROTOCOL:
            self._kill()
            why = answer.get("error") or f"protocol {answer.get('protocol')}, expected {PROTOCOL}"
            raise WorkerError(f"{self.name} worker did not start: {why}")
        self.start_s = time.perf_counter() - begin
        return self.start_s

    def _request(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self._proc is not None and self._proc.stdin is not None
        try:
            self._proc.stdin.write(json.dumps(message) + "\n")
            self._proc.stdin.flush()
        except OSError:
            raise _WorkerLost(self._death()) from None
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise _WorkerLost(f"did not answer within {timeout:g} s") from None
        if line is None:
            raise _WorkerLost(self._death())
        return json.loads(line)

    def _death(self) -> str:
        """Why the worker is gone: its exit code and the last line it wrote to stderr."""
        assert self._proc is not None
        try:
            code = self._proc.wait(SHUTDOWN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return "closed its output"
        last = ""
        if self._stderr is not None:
            self._stderr.seek(0)
            lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
            last = f": {lines[-1].strip()}" if lines else ""
        return f"exited with code {code}{last}"

    def _kill(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
                self._proc.wait()
            if self._proc.stdin is not None:
                self._proc.stdin.close()
        if self._stderr is not None:
            self._stderr.close()
        self._proc = None
        self._stderr = None
        atexit.unregister(self.close)


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Move the worker's output lines into ``lines``; None at end of output."""
    with stream:
        for line in stream:
            lines.put(line)
    lines.put(None)
