"""``nanokit measure --backend dask``: one task per image on a dask.distributed cluster.

Tasks carry paths, not pixels: the workers read the images and write ``masks/``,
``overlays/`` and ``histograms/`` under the output folder themselves, so inputs and outputs
must be on a file system that the client and all workers see at the same paths. Each worker
builds one :class:`~nanokit.measure.pipeline.ImageProcessor` (and so loads the model once),
through a worker plugin. The client keeps a bounded number of tasks in flight and hands back
each image's :class:`~nanokit.measure.result.ImageResult` as its task finishes; the caller
appends them to images.csv and particles.csv, so statuses and resuming are those of the local
backend.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import MissingExtraError, NanokitError, first_line
from ..measure.pipeline import ImageJob, ImageProcessor, MeasureSettings
from ..measure.result import ImageResult, ImageWriter

try:
    import dask
    from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise MissingExtraError("dask.distributed", "dask") from exc

#: Tasks in flight per worker thread: keeps workers busy between results, memory flat.
TASKS_PER_THREAD = 2
#: Fewest tasks in flight, so that an adaptive cluster that starts empty sees work to scale up.
MIN_IN_FLIGHT = 4


class ProcessorPlugin(WorkerPlugin):
    """One :class:`ImageProcessor` per worker; its models load on the worker's first image.

    Tasks of the same worker share the processor under a lock, so a worker with several
    threads still holds one model (use one thread per worker and more workers to go wider).
    """

    def __init__(self, settings: MeasureSettings, out: Path, writer: ImageWriter) -> None:
        self.settings = settings
        self.out = out
        self.writer = writer
        self.processor: ImageProcessor | None = None
        self.lock: threading.Lock | None = None

    def setup(self, worker: Any) -> None:
        self.processor = ImageProcessor(self.settings, self.out, self.writer)
        self.lock = threading.Lock()

    def teardown(self, worker: Any) -> None:
        self.processor = None  # frees the model


def measure_task(job: ImageJob, plugin: str) -> ImageResult:
    """The task run on a worker: one image through that worker's processor."""
    state = get_worker().plugins[plugin]
    with state.lock:
        return state.processor(job)


def run_jobs(
    jobs: list[ImageJob],
    settings: MeasureSettings,
    out: Path,
    writer: ImageWriter,
    scheduler: str | None = None,
    workers: int = 1,
    in_flight: int | None = None,
) -> Iterator[ImageResult]:
    """Results of ``jobs`` as their tasks finish, computed on a dask cluster.

    Args:
        jobs: images to process.
        settings: what every worker needs to process an image.
        out: output folder (made absolute; must be shared with the workers).
        writer: writes each image's files (a copy on each worker).
        scheduler: address of a running scheduler (``tcp://host:8786``); None starts a
            LocalCluster of ``workers`` single-threaded worker processes on this machine.
        workers: size of the LocalCluster; must stay 1 with ``scheduler``.
        in_flight: most tasks submitted at once; default two per worker thread (at least 4),
            re-read as workers join or leave.

    Returns:
        An iterator with one result per job; a task that fails outright (its worker died on
        it, say) gives a ``failed: ...`` result that is not ``finished``, so that a re-run
        tries the image again.

    Raises:
        NanokitError: ``workers`` with ``scheduler``, or fewer than 1 worker (at once);
            an unreachable scheduler (when iterated).
    """
    if workers < 1:
        raise NanokitError(f"--workers must be at least 1, got {workers}")
    if scheduler and workers != 1:
        raise NanokitError("--workers sets the size of a local dask cluster; not with --scheduler")
    return _run(jobs, settings, Path(out).absolute(), writer, scheduler, workers, in_flight)


def _run(
    jobs: list[ImageJob],
    settings: MeasureSettings,
    out: Path,
    writer: ImageWriter,
    scheduler: str | None,
    workers: int,
    in_flight: int | None,
) -> Iterator[ImageResult]:
    """:func:`run_jobs` once its arguments are checked."""
    if not jobs:
        return
    with _client(scheduler, workers) as client:
        name = f"nanokit-measure-{uuid.uuid4().hex[:12]}"
        client.register_plugin(ProcessorPlugin(settings, out, writer), name=name)
        try:
            yield from _bounded(client, jobs, name, in_flight)
        finally:
            with contextlib.suppress(Exception):  # the cluster may be gone already
                client.unregister_worker_plugin(name)


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler``, or of a new LocalCluster."""
    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except (OSError, ValueError) as exc:
            raise NanokitError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from None
        with client:
            yield client
        return
    cluster = local_cluster(workers)
    with cluster, Client(cluster) as client:
        yield client


def local_cluster(workers: int, **kwargs: Any) -> LocalCluster:
    """A LocalCluster of ``workers`` single-threaded worker processes on the loopback interface.

    dask's nannies set ``MALLOC_TRIM_THRESHOLD_`` in their workers, which makes glibc map and
    zero every large numpy temporary afresh (about 40 % more CPU per micrograph here); these
    workers keep glibc's default. ``kwargs`` go to LocalCluster.
    """
    options = dict(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        return LocalCluster(**{**options, **kwargs})


def _bounded(
    client: Client, jobs: list[ImageJob], plugin: str, in_flight: int | None
) -> Iterator[ImageResult]:
    """Submit ``jobs`` with at most ``in_flight`` tasks pending; yield results as they come."""
    todo = iter(jobs)
    pending: dict[str, ImageJob] = {}
    finished = as_completed()

    def top_up() -> None:
        limit = in_flight or max(MIN_IN_FLIGHT, TASKS_PER_THREAD * sum(client.nthreads().values()))
        for job in islice(todo, max(0, limit - len(pending))):
            future = client.submit(
                measure_task, job, plugin, key=f"measure-{job.key}-{uuid.uuid4().hex[:8]}"
            )
            pending[future.key] = job
            finished.add(future)

    top_up()
    for future in finished:
        job = pending.pop(future.key)
        yield _result(future, job)
        top_up()


def _result(future: Any, job: ImageJob) -> ImageResult:
    """The task's result, or a failed row for a task that raised, lost its worker or was cancelled."""
    try:
        return future.result()
    except KilledWorker:
        status = "failed: the worker died while measuring this image (KilledWorker)"
    except FutureCancelledError:
        status = "failed: task cancelled"
    except Exception as exc:  # noqa: BLE001 - one bad task must not stop the run
        status = f"failed: {type(exc).__name__}: {first_line(exc)}"
    return ImageResult.failed(job.image, job.key, job.path, status)
