"""``measure --backend dask``: the serial run's CSVs, and no finished rows lost when a worker dies.

Calibration is manual (``--scale``), so no OCR runs. Workers are local processes on the
loopback interface.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import cv2
import dask
import pytest

from nanokit.apis.image_files import ImageFilesWriter
from nanokit.apis.measure import make_settings, measure
from nanokit.calibration.record import CalibrationRecord
from nanokit.distributed.dask_backend import local_cluster
from nanokit.errors import NanokitError
from nanokit.synth import make_sample

SCALE = 2.0  # nm per px
DYING = "synth_1.png"  # the image whose task kills its worker


def manual_or_die(path: str | Path, image: object = None, **kwargs: object) -> CalibrationRecord:
    """calibrate_image, but the worker process that gets :data:`DYING` exits on the spot."""
    from nanokit.apis.scalebar import calibrate_image

    if Path(path).name == DYING:
        os._exit(1)
    return calibrate_image(path, image, **kwargs)


def _settings(calibrate=None):  # noqa: ANN001, ANN202
    settings = make_settings(scale=SCALE)
    settings.calibrate = calibrate
    return settings


def _lines(path: Path) -> list[str]:
    """Header, then the data lines sorted (row order depends on which task ends first)."""
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    return [header, *sorted(rows)]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four small synthetic micrographs (640 x 480, the generator's smallest)."""
    folder = tmp_path_factory.mktemp("synth")
    for i in range(4):
        image, _, _ = make_sample(11 + i, width=640, height=480)
        cv2.imwrite(str(folder / f"synth_{i}.png"), image)
    return folder


@pytest.fixture(scope="module")
def serial(images: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Output folder of the local, single-process run."""
    out = tmp_path_factory.mktemp("serial")
    measure([images], out, settings=_settings(), quiet=True)
    return out


@pytest.fixture
def cluster():  # noqa: ANN201 - yields the scheduler address
    """Two single-threaded worker processes; a task whose worker dies is not retried."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), local_cluster(2) as local:
        yield local.scheduler_address


def test_local_cluster_of_two_workers_gives_the_serial_outputs(
    images: Path, serial: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    summary = measure([images], out, settings=_settings(), backend="dask", workers=2, quiet=True)
    assert summary["status_counts"] == {"ok": 4}
    for name in ("images.csv", "particles.csv"):
        assert _lines(out / name) == _lines(serial / name)
    assert len(_rows(out / "particles.csv")) > 4 * 10
    for sub in ("masks", "overlays"):
        names = sorted(p.name for p in (serial / sub).iterdir())
        assert sorted(p.name for p in (out / sub).iterdir()) == names
    for name in names:
        assert (out / "masks" / name).read_bytes() == (serial / "masks" / name).read_bytes()
    assert (out / "report.html").is_file() and (out / "summary.json").is_file()


def test_a_dying_worker_loses_no_finished_rows_and_a_rerun_completes(
    images: Path, serial: Path, cluster: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    measure(
        [images],
        out,
        settings=_settings(manual_or_die),
        backend="dask",
        scheduler=cluster,
        quiet=True,
    )
    rows = {row["image"]: row for row in _rows(out / "images.csv")}
    assert sorted(rows) == sorted(p.name for p in images.iterdir())
    assert rows[DYING]["status"].startswith("failed: ") and "KilledWorker" in rows[DYING]["status"]
    finished = {name for name, row in rows.items() if row["status"] == "ok"}
    assert finished, "the images of the surviving worker are kept"
    done = {p.read_text(encoding="utf-8") for p in (out / "done").glob("*.done")}
    assert done == finished
    expected = [r for r in _rows(serial / "particles.csv") if r["image"] in finished]
    assert sorted(map(str, _rows(out / "particles.csv"))) == sorted(map(str, expected))

    # The re-run measures only the unfinished images; the union is the serial run's.
    summary = measure(
        [images], out, settings=_settings(), backend="dask", scheduler=cluster, quiet=True
    )
    assert summary["settings"]["skipped"] == len(finished)
    for name in ("images.csv", "particles.csv"):
        assert _lines(out / name) == _lines(serial / name)


def test_bad_backend_options_are_one_line_errors(images: Path, tmp_path: Path) -> None:
    with pytest.raises(NanokitError, match="--backend"):
        measure([images], tmp_path / "a", backend="spark", settings=_settings())
    with pytest.raises(NanokitError, match="--scheduler needs --backend dask"):
        measure([images], tmp_path / "b", scheduler="tcp://127.0.0.1:1", settings=_settings())
    with pytest.raises(NanokitError, match="--workers"):
        measure(
            [images],
            tmp_path / "c",
            backend="dask",
            scheduler="tcp://127.0.0.1:1",
            workers=2,
            settings=_settings(),
        )


@pytest.mark.slow
def test_cli_backend_dask(images: Path, serial: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from nanokit.cli.main import cli

    out = tmp_path / "out"
    args = ["--quiet", "measure", str(images / "synth_0.png"), "--out", str(out)]
    args += ["--scale", str(SCALE), "--backend", "dask", "--workers", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "1 images (1 ok)" in result.output
    (row,) = _rows(out / "images.csv")
    (expected,) = (r for r in _rows(serial / "images.csv") if r["image"] == "synth_0.png")
    assert row == expected


def test_tasks_in_flight_stay_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import Client

    from nanokit.distributed import dask_backend
    from nanokit.measure.pipeline import ImageJob

    submitted = []
    submit = dask_backend.Client.submit

    def counting_submit(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        submitted.append(args[1].image)
        return submit(self, *args, **kwargs)

    monkeypatch.setattr(dask_backend.Client, "submit", counting_submit)
    jobs = [
        ImageJob(str(tmp_path / f"missing{i}.png"), f"missing{i}.png", f"m{i}") for i in range(9)
    ]
    with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as c:
        results = dask_backend.run_jobs(
            jobs,
            _settings(),
            tmp_path / "out",
            ImageFilesWriter(),
            scheduler=c.scheduler.address,
            in_flight=3,
        )
        in_flight = []
        for n, result in enumerate(results, start=1):
            in_flight.append(len(submitted) - (n - 1))  # submitted, not yet handed back
            assert result.row["status"].startswith("failed: ")
            assert not result.particles and not result.finished
    assert n == 9 and sorted(submitted) == sorted(job.image for job in jobs)
    assert max(in_flight) == 3
