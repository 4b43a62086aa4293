"""Out-of-process OCR engines: the worker mechanism with a fake engine script, and PaddleOCR's
real worker when ``.venv-paddle`` exists."""

from __future__ import annotations

import csv
import multiprocessing
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from nanokit.errors import NanokitError
from nanokit.ocr.engines import BaseOCREngine, PaddleOCREngine
from nanokit.ocr.engines.out_of_process import OutOfProcessEngine
from nanokit.ocr.shared import SharedEngine, shared_engine
from nanokit.ocr.worker import WorkerError, WorkerProcess

FAKE_SCRIPT = Path(__file__).with_name("fake_ocr_worker.py")
READ, CRASH, HANG, RAISE, CRASH_ONCE, HANG_ONCE, WORKER_PID = range(7)


class FakeEngine(OutOfProcessEngine):
    """The fake script run by this interpreter, as a plugin's clashing engine would be."""

    name = "fake"
    venv = ".venv-fake"
    make_target = "fake-env"
    script = FAKE_SCRIPT

    def __init__(
        self, once_file: str = "", fail_load: bool = False, starts_file: str = "", **worker: object
    ) -> None:
        super().__init__(python=sys.executable, **worker)
        self.once_file = once_file
        self.fail_load = fail_load
        self.starts_file = starts_file

    def options(self) -> dict[str, object]:
        return {
            "once_file": self.once_file,
            "fail_load": self.fail_load,
            "starts_file": self.starts_file,
        }


def crop(action: int, shape: tuple[int, int] = (8, 20)) -> np.ndarray:
    image = np.zeros(shape, np.uint8)
    image.flat[0] = action
    return image


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for a reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def wait_gone(pid: int, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def engine(tmp_path: Path):
    eng = FakeEngine(once_file=str(tmp_path / "once"), read_timeout=2.0)
    yield eng
    eng.close()


def test_start_read_and_shutdown(engine: FakeEngine) -> None:
    result = engine.read(crop(READ), allowlist="0123")
    assert (result.text, result.box, result.confidence) == ("8x20 0123", (1, 2, 3, 4), 0.5)
    assert engine.read(np.zeros((5, 7, 3), np.uint8)).text == "5x7"  # RGB crops travel too
    worker = engine.worker
    assert worker is not None and worker.start_s is not None and worker.start_s > 0
    pid = worker.pid
    assert pid is not None and alive(pid)
    engine.close()
    assert worker.pid is None and wait_gone(pid)


def test_crash_restarts_the_worker_once(engine: FakeEngine) -> None:
    engine.read(crop(READ))
    first = engine.worker.pid
    assert engine.read(crop(CRASH_ONCE)).text == "8x20"
    assert engine.worker.pid != first and wait_gone(first)


def test_second_crash_is_the_crops_error_and_the_next_crop_reads(engine: FakeEngine) -> None:
    with pytest.raises(WorkerError) as err:
        engine.read(crop(CRASH))
    message = str(err.value)
    assert "fake worker exited with code 7: fake worker: crashing on purpose" in message
    assert "again after a restart" in message and "\n" not in message
    assert engine.read(crop(READ)).text == "8x20"


def test_hang_times_out_and_restarts(engine: FakeEngine) -> None:
    engine.read(crop(READ))
    hung = engine.worker.pid
    assert engine.read(crop(HANG_ONCE)).text == "8x20"
    assert wait_gone(hung)
    with pytest.raises(WorkerError, match="did not answer within 2 s, again after a restart"):
        engine.read(crop(HANG))


def test_engine_error_keeps_the_worker(engine: FakeEngine) -> None:
    engine.read(crop(READ))
    pid = engine.worker.pid
    with pytest.raises(WorkerError, match="fake worker: ValueError: cannot read this crop"):
        engine.read(crop(RAISE))
    assert engine.worker.pid == pid


def test_failed_load_is_reported_once_and_remembered() -> None:
    eng = FakeEngine(fail_load=True)
    why = "did not start: FileNotFoundError: no model in /nowhere"
    with pytest.raises(
        NanokitError, match=rf"{why} \(its environment comes from 'make fake-env'\)$"
    ):
        eng.read(crop(READ))
    assert eng.worker is not None and eng.worker.pid is None
    eng.worker = None  # a second read must not start another worker
    with pytest.raises(NanokitError, match="no model in /nowhere"):
        eng.read(crop(READ))
    assert eng.worker is None


def test_protocol_mismatch_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("nanokit.ocr.worker.PROTOCOL", 99)
    worker = WorkerProcess("fake", Path(sys.executable), FAKE_SCRIPT)
    with pytest.raises(
        WorkerError, match="did not start: RuntimeError: protocol 99 asked, 1 spoken"
    ):
        worker.start()
    assert worker.pid is None


PARENT = """
import sys, time
from pathlib import Path
from nanokit.ocr.worker import WorkerProcess
worker = WorkerProcess("fake", Path(sys.executable), Path(sys.argv[1]))
worker.start()
print(worker.pid, flush=True)
if sys.argv[2] == "wait":
    time.sleep(600)
"""


@pytest.mark.parametrize("how", ["exit", "killed"])
def test_worker_ends_with_its_parent(how: str) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(FAKE_SCRIPT), "wait" if how == "killed" else "exit"],
        stdout=subprocess.PIPE,
        text=True,
    )
    pid = int(parent.stdout.readline())
    assert alive(pid)
    if how == "killed":
        parent.kill()  # no atexit: the worker notices its parent is gone
    parent.wait(30)
    parent.stdout.close()
    assert wait_gone(pid), f"worker {pid} outlived its parent ({how})"


def read_worker_pid(engine: BaseOCREngine) -> tuple[int, int]:
    """(this process's id, the worker's id), in a pool process."""
    return os.getpid(), int(engine.read(crop(WORKER_PID)).text)


def test_pool_processes_share_one_worker(tmp_path: Path) -> None:
    context = multiprocessing.get_context("forkserver")
    starts = tmp_path / "starts"
    with shared_engine(FakeEngine(starts_file=str(starts)), context) as engine:
        assert isinstance(engine, SharedEngine) and engine.name == "fake"
        both_ready = context.Barrier(2, timeout=120)  # the first reads of both come together
        with ProcessPoolExecutor(2, context, initializer=both_ready.wait) as pool:
            pids = list(pool.map(read_worker_pid, [engine] * 6))
        [worker] = {w for _, w in pids}
        assert alive(worker) and worker not in {p for p, _ in pids}
    assert starts.read_text().split() == [str(worker)]  # concurrent first reads: one start
    assert wait_gone(worker)
    for cfg in (None, "rapidocr", {"type": "TesseractEngine"}):  # in-process engines: unchanged
        with shared_engine(cfg, context) as same:
            assert same == cfg


def test_missing_environment_names_the_make_target(tmp_path: Path) -> None:
    eng = PaddleOCREngine(python=str(tmp_path / "bin" / "python"))
    with pytest.raises(NanokitError) as err:
        eng.read(crop(READ))
    assert "run 'make paddle-env'" in str(err.value) and "pip install" not in str(err.value)
    assert PaddleOCREngine.install_hint() == "make paddle-env"


@pytest.mark.ocr
def test_paddle_worker_reads_a_real_label(shared_data: Path) -> None:
    if not PaddleOCREngine.is_available():
        pytest.skip(f"{PaddleOCREngine.default_python()} not found: run 'make paddle-env'")
    from nanokit.io.images import read_image
    from nanokit.scalebar.reader import read_scalebar

    folder = shared_data / "scalebars"
    with open(folder / "truth.csv", newline="") as f:
        truth = next(row for row in csv.DictReader(f) if row["image"] == "ide__scalebar__50_nm.png")
    engine = PaddleOCREngine()
    try:
        reading = read_scalebar(read_image(folder / "images" / truth["image"]).grey, engine)
        pid = engine.worker.pid
    finally:
        engine.close()
    assert (reading.value, reading.unit) == (float(truth["value"]), truth["unit"]), reading.error
    assert reading.engine == "paddleocr" and wait_gone(pid)
