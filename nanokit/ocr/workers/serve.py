"""The worker side of an out-of-process OCR engine: JSON lines on stdin/stdout.

Run by path with another environment's Python (nanokit is not installed there; this file needs
only the standard library and numpy)::

    /path/.venv-paddle/bin/python serve.py ENGINE_SCRIPT

``ENGINE_SCRIPT`` is a Python file with a function ``load(**options)`` that loads the models
and returns ``read(image, allowlist) -> (text, [x0, y0, x1, y1], confidence)``, ``image`` being
the uint8 array the engine side sent (``OutOfProcessEngine.prepare``). Protocol (one JSON object
per line, version :data:`PROTOCOL`):

- ``{"op": "hello", "protocol": 1, "options": {...}}`` -> ``{"ok": true, "protocol": 1,
  "load_s": 2.1, "python": "3.11.7"}`` once the engine is loaded, or ``{"ok": false, "error": ...}``;
- ``{"op": "read", "image": <npy bytes, base64>, "allowlist": null}`` -> ``{"ok": true, "text":
  ..., "box": [...], "confidence": ...}`` or ``{"ok": false, "error": ...}``;
- ``{"op": "shutdown"}`` -> ``{"ok": true}``, then the worker exits.

The worker also exits when its stdin closes or its parent process dies, so none outlives the run.
Whatever the engine prints goes to stderr; stdout carries the protocol only.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import os
import platform
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any

import numpy as np

#: Version of the protocol; a worker and an engine that disagree refuse to talk.
PROTOCOL = 1

#: How often (s) the worker checks that its parent process is still alive.
PARENT_POLL_S = 1.0


def encode_image(image: np.ndarray) -> str:
    """``image`` as base64 text of its ``.npy`` bytes."""
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(image), allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def decode_image(text: str) -> np.ndarray:
    """The array that :func:`encode_image` encoded."""
    return np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False)


def _load_engine_script(path: str) -> Callable[..., Any]:
    spec = importlib.util.spec_from_file_location("nanokit_ocr_worker_engine", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import engine script {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.load


def exit_with_parent() -> None:
    """Exit this process (no clean-up) when its parent dies, checked by a daemon thread."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:  # a dead parent's children are re-parented
            time.sleep(PARENT_POLL_S)
        os._exit(3)

    threading.Thread(target=watch, daemon=True).start()


def _error(exc: BaseException) -> dict[str, Any]:
    lines = str(exc).strip().splitlines()
    return {"ok": False, "error": f"{type(exc).__name__}: {lines[0] if lines else ''}".rstrip(": ")}


def _answer(out: IO[str], message: dict[str, Any]) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


def serve(script: str, stdin: IO[str], out: IO[str]) -> None:
    """Answer requests from ``stdin`` on ``out`` until shutdown or end of input."""
    read: Callable[..., Any] | None = None
    for line in stdin:
        request = json.loads(line)
        op = request.get("op")
        try:
            if op == "hello":
                if request.get("protocol") != PROTOCOL:
                    raise RuntimeError(
                        f"protocol {request.get('protocol')} asked, {PROTOCOL} spoken"
                    )
                start = time.perf_counter()
                read = _load_engine_script(script)(**request.get("options", {}))
                load_s = round(time.perf_counter() - start, 3)
                answer = {
                    "protocol": PROTOCOL,
                    "load_s": load_s,
                    "python": platform.python_version(),
                }
            elif op == "read":
                if read is None:
                    raise RuntimeError("read before hello")
                text, box, confidence = read(
                    decode_image(request["image"]), request.get("allowlist")
                )
                answer = {
                    "text": text,
                    "box": [int(v) for v in box],
                    "confidence": float(confidence),
                }
            elif op == "shutdown":
                _answer(out, {"ok": True})
                return
            else:
                raise ValueError(f"unknown op {op!r}")
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the engine as one line
            _answer(out, _error(exc))
            continue
        _answer(out, {"ok": True, **answer})


def main() -> None:
    """Entry point: ``python serve.py ENGINE_SCRIPT``."""
    exit_with_parent()
    # The protocol keeps the real stdout; anything else printed (library logs) goes to stderr.
    protocol_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    serve(sys.argv[1], io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8"), protocol_out)


if __name__ == "__main__":
    main()
