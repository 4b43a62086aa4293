"""The napari plugin, pip-installed from plugins/nanokit-napari: reader, Measure widget, saving
corrected labels back for remeasure. Headless and without OpenGL: napari's ViewerModel (the
viewer without its canvas) and the plugin's Qt widgets on the offscreen platform."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
napari = pytest.importorskip("napari")
npe2 = pytest.importorskip("npe2")
pytest.importorskip("pytestqt")
pytest.importorskip("qtpy")

import cv2  # noqa: E402
from napari.components import ViewerModel  # noqa: E402

from nanokit.apis.measure import measure  # noqa: E402
from nanokit.apis.remeasure import remeasure  # noqa: E402
from nanokit.errors import NanokitError  # noqa: E402
from nanokit.measure.outputs import read_rows  # noqa: E402
from nanokit.measure.run_folder import load_run  # noqa: E402
from nanokit.synth import make_sample  # noqa: E402

from .install_copy import install_copy  # noqa: E402

PLUGIN = Path(__file__).resolve().parents[2] / "plugins" / "nanokit-napari"
NAME = "nanokit-napari"
NM_PER_PX = 2.5


@pytest.fixture(scope="module")
def plugin(tmp_path_factory):
    """pip-installs a copy of plugins/nanokit-napari and registers it with npe2 through its
    ``napari.manifest`` entry point."""
    tmp = tmp_path_factory.mktemp("napari_plugin")
    target = install_copy(PLUGIN.name, tmp)
    manager = npe2.PluginManager.instance()
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(target))
        manager.discover(paths=[str(target)])
        yield manager.get_manifest(NAME)
        manager.unregister(NAME)
        for module in [m for m in sys.modules if m.split(".")[0] == "nanokit_napari"]:
            del sys.modules[module]


@pytest.fixture(scope="module")
def micrographs(tmp_path_factory) -> list[Path]:
    """Two small synthetic micrographs: a.png and b.png."""
    folder = tmp_path_factory.mktemp("micrographs")
    paths = []
    for seed, name in ((3, "a"), (5, "b")):
        image, _, _ = make_sample(seed, name=name)
        paths.append(folder / f"{name}.png")
        cv2.imwrite(str(paths[-1]), image)
    return paths


@pytest.fixture(scope="module")
def run_dir(micrographs, tmp_path_factory) -> Path:
    """A measure run of both micrographs: a.png at 2.5 nm/px, b.png uncalibrated."""
    out = tmp_path_factory.mktemp("run")
    scales = out.parent / "scales.csv"
    scales.write_text(f"image,nm_per_px\na.png,{NM_PER_PX}\n")
    measure(micrographs, out, scale=scales, scalebar="off", quiet=True)
    return out


def plugin_widget(plugin, display_name: str, qtbot, **kwargs):
    """The plugin's widget contribution ``display_name``, made as napari makes it."""
    contribution = next(w for w in plugin.contributions.widgets if w.display_name == display_name)
    widget = contribution.get_callable()(**kwargs)
    qtbot.addWidget(widget.native)
    return widget


def test_the_manifest_comes_from_the_installed_package(plugin):
    assert plugin.package_metadata.name == NAME
    assert [r.command for r in plugin.contributions.readers] == [f"{NAME}.read_run"]
    assert {w.display_name for w in plugin.contributions.widgets} == {
        "Measure",
        "Save labels for remeasure",
    }


def test_reader_gives_micrograph_labels_features_and_nm_scale(plugin, run_dir):
    viewer = ViewerModel()
    layers = viewer.open(str(run_dir), plugin=NAME)
    assert [(layer.name, type(layer).__name__) for layer in layers] == [
        ("a", "Image"),
        ("a labels", "Labels"),
        ("b (uncalibrated, px)", "Image"),
        ("b labels (uncalibrated, px)", "Labels"),
    ]
    image, labels = layers[0], layers[1]
    record = load_run(run_dir)["a.png"]
    assert np.array_equal(image.data, cv2.imread(str(record.source), cv2.IMREAD_GRAYSCALE))
    mask = cv2.imread(str(run_dir / "masks" / "a.png"), cv2.IMREAD_UNCHANGED)
    assert labels.data.dtype == np.uint16 and np.array_equal(labels.data, mask)
    for layer in (image, labels):
        assert tuple(layer.scale) == (NM_PER_PX, NM_PER_PX)
        assert [str(u) for u in layer.units] == ["nanometer", "nanometer"]
    rows = [r for r in read_rows(run_dir / "particles.csv") if r["image"] == "a.png"]
    features = labels.features
    assert len(features) == len(rows) > 5
    assert list(features["index"]) == [int(r["particle_id"]) for r in rows]
    assert set(features["index"]) == set(np.unique(mask)) - {0}
    assert features["ecd_nm"].to_numpy() == pytest.approx([float(r["ecd_nm"]) for r in rows])
    # a particle's centre, in nm, shows its label and napari finds its row through "index"
    particle = next(
        r
        for r in rows
        if mask[round(float(r["cy_px"])), round(float(r["cx_px"]))] == int(r["particle_id"])
    )
    centre = (float(particle["cy_px"]) * NM_PER_PX, float(particle["cx_px"]) * NM_PER_PX)
    assert labels.get_value(centre, world=True) == int(particle["particle_id"])
    assert f"ecd_nm: {float(particle['ecd_nm']):.3g}" in str(labels.get_status(centre, world=True))
    assert layers[2].visible is False and layers[3].visible is False
    assert tuple(layers[3].scale) == (1.0, 1.0)
    assert [str(u) for u in layers[3].units] == ["pixel", "pixel"]
    assert features["touches_border"].dtype == bool


def test_reader_declines_other_folders(plugin, tmp_path):
    from nanokit_napari.reader import get_reader

    assert get_reader(str(tmp_path)) is None
    (tmp_path / "images.csv").write_text("image\n")
    (tmp_path / "masks").mkdir()

    reader = get_reader(str(tmp_path))
    with pytest.raises(NanokitError, match="no manifest"):
        reader(str(tmp_path))


def test_measure_widget_measures_the_open_image(plugin, micrographs, tmp_path, qtbot):
    viewer = ViewerModel()
    image = viewer.open(str(micrographs[0]))[0]
    widget = plugin_widget(plugin, "Measure", qtbot, napari_viewer=viewer)
    out = tmp_path / "widget-run"
    assert widget.image.value is image
    widget.out.value = out
    widget.segmenter.value = "ClassicalSegmenter"
    widget.scale.value = 4.0
    widget.scalebar.value = False
    assert widget.run() is not None
    _wait_until_done(widget, qtbot, 120_000)
    labels = viewer.layers["a labels"]
    assert tuple(labels.scale) == (4.0, 4.0) and tuple(image.scale) == (4.0, 4.0)
    assert [str(u) for u in image.units] == ["nanometer", "nanometer"]
    rows = read_rows(out / "particles.csv")
    assert len(labels.features) == len(rows) > 5
    assert float(read_rows(out / "images.csv")[0]["nm_per_px"]) == 4.0
    assert np.array_equal(labels.data, cv2.imread(str(out / "masks" / "a.png"), -1))
    assert widget.status.value.startswith("a.png: measured")


def _wait_until_done(widget, qtbot, timeout_ms: int) -> None:
    """Wait for the widget's measure to end (polled: a worker that fails at once may finish
    before a signal wait could connect)."""
    qtbot.waitUntil(
        lambda: widget.button.enabled and not widget.status.value.startswith("measuring"),
        timeout=timeout_ms,
    )


def test_measure_widget_says_what_is_wrong_in_one_line(plugin, micrographs, tmp_path, qtbot):
    viewer = ViewerModel()
    viewer.open(str(micrographs[0]))
    widget = plugin_widget(plugin, "Measure", qtbot, napari_viewer=viewer)
    widget.out.value = tmp_path / "bad"
    widget.config.value = tmp_path / "missing.py"
    assert widget.run() is not None
    _wait_until_done(widget, qtbot, 60_000)
    assert widget.status.value == f"a.png: config not found: {tmp_path / 'missing.py'}"
    assert len(viewer.layers) == 1


def test_edited_labels_save_back_to_the_run(plugin, micrographs, tmp_path, qtbot):
    out = tmp_path / "run"
    measure(micrographs[:1], out, scale=NM_PER_PX, scalebar="off", quiet=True)
    viewer = ViewerModel()
    viewer.open(str(out), plugin=NAME)
    labels = viewer.layers["a labels"]
    edited = labels.data.copy()
    gone = int(edited.max())
    edited[edited == gone] = 0
    edited[5:25, 5:25] = 700  # a particle drawn by hand
    labels.data = edited
    widget = plugin_widget(plugin, "Save labels for remeasure", qtbot)
    widget(labels)
    saved = cv2.imread(str(out / "masks" / "a.png"), cv2.IMREAD_UNCHANGED)
    assert saved.dtype == np.uint16 and np.array_equal(saved, edited)
    assert load_run(out)["a.png"].edited() == ["mask"]
    assert not list((out / "masks").glob(".*"))
    result = remeasure(out, quiet=True)
    assert result.corrected == ["a.png"]
    ids = {int(r["particle_id"]) for r in read_rows(out / "particles.csv")}
    assert 700 in ids and gone not in ids
    reopened = ViewerModel().open(str(out), plugin=NAME)[1]
    assert 700 in set(reopened.features["index"])


def test_saving_labels_refuses_layers_it_cannot_place(plugin, tmp_path):
    from nanokit_napari.save_labels import save_labels

    viewer = ViewerModel()
    stray = viewer.add_labels(np.zeros((8, 8), np.uint16), name="stray")
    with pytest.raises(NanokitError, match="did not come from a nanokit measure output"):
        save_labels(stray)
