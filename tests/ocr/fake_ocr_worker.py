"""A worker-side engine script for tests/ocr/test_worker.py (run by path, like paddleocr_worker).

The first pixel of a crop says what to do: 0 read, 1 crash, 2 hang, 3 raise, 4 crash once (the
first time, marked by ``once_file``), 5 hang once, 6 read the worker's process id.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np


def load(once_file: str = "", fail_load: bool = False, starts_file: str = "") -> Callable:
    """The read function; ``fail_load`` makes loading fail; each load that takes 0.5 s adds
    its process id to ``starts_file``, when given."""
    if fail_load:
        raise FileNotFoundError("no model in /nowhere")
    if starts_file:
        time.sleep(0.5)  # a slow model load: concurrent first reads overlap
        with open(starts_file, "a") as f:
            f.write(f"{os.getpid()}\n")

    def read(image: np.ndarray, allowlist: str | None) -> tuple[str, list[int], float]:
        action = int(image.flat[0])
        first = action in (4, 5) and not Path(once_file).exists()
        if first:
            Path(once_file).touch()
        if action == 1 or (action == 4 and first):
            print("fake worker: crashing on purpose", flush=True)  # goes to stderr
            os._exit(7)
        if action == 2 or (action == 5 and first):
            time.sleep(600)
        if action == 3:
            raise ValueError("cannot read this crop")
        if action == 6:
            return str(os.getpid()), [0, 0, 1, 1], 1.0
        return f"{image.shape[0]}x{image.shape[1]} {allowlist or ''}".strip(), [1, 2, 3, 4], 0.5

    return read
