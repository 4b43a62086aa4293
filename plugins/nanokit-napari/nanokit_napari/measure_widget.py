"""Dock widget: run ``nanokit measure`` on the open image and add its labels and particle table."""

from __future__ import annotations

from pathlib import Path

import napari
import napari.layers
from magicgui.widgets import (
    CheckBox,
    ComboBox,
    Container,
    FileEdit,
    FloatSpinBox,
    Label,
    PushButton,
)
from napari.qt.threading import FunctionWorker, thread_worker

from nanokit.errors import NanokitError, first_line

from .measure_image import MeasureRequest, image_file, measure_file
from .run_layers import LayerData

#: Segmenter choice that keeps the config's ``measure.segmenter`` (classical without a config).
CONFIG_SEGMENTER = "(from config)"


def segmenter_choices() -> list[str]:
    """The choice keeping the config's segmenter, then the registered SEGMENTERS types."""
    from nanokit import segmentation  # noqa: F401 - registers the built-in segmenters
    from nanokit.plugins import load_plugins
    from nanokit.registry import SEGMENTERS

    load_plugins()
    return [CONFIG_SEGMENTER, *sorted(SEGMENTERS.module_dict)]


class MeasureWidget(Container):
    """Measures the chosen image layer in a background thread, then adds a labels layer with
    the particle table as features and puts both layers on the run's nm scale."""

    def __init__(self, napari_viewer: napari.viewer.ViewerModel) -> None:
        self.viewer = napari_viewer
        self.image = ComboBox(choices=self._image_layers, label="image")
        self.out = FileEdit(mode="d", label="output folder", value=Path.home() / "nanokit-run")
        self.config = FileEdit(mode="r", filter="*.py", label="config", nullable=True)
        self.segmenter = ComboBox(choices=segmenter_choices(), label="segmenter")
        self.scale = FloatSpinBox(
            value=0.0, min=0.0, max=1e6, step=0.01, label="nm per px (0: automatic)"
        )
        self.scalebar = CheckBox(value=True, text="read the scale bar")
        self.button = PushButton(text="Measure")
        self.status = Label(value="")
        super().__init__(
            widgets=[
                self.image,
                self.out,
                self.config,
                self.segmenter,
                self.scale,
                self.scalebar,
                self.button,
                self.status,
            ]
        )
        self.button.changed.connect(self.run)
        for event in ("inserted", "removed", "reordered"):
            getattr(napari_viewer.layers.events, event).connect(self.reset_choices)
        self.worker: FunctionWorker | None = None

    def _image_layers(self, _: ComboBox) -> list[tuple[str, napari.layers.Image]]:
        """The viewer's image layers, as (name, layer) choices."""
        return [
            (layer.name, layer)
            for layer in self.viewer.layers
            if isinstance(layer, napari.layers.Image)
        ]

    def request(self) -> MeasureRequest:
        """The settings in the widget."""
        segmenter = self.segmenter.value
        return MeasureRequest(
            out=Path(self.out.value),
            config=self.config.value,
            segmenter=None if segmenter == CONFIG_SEGMENTER else segmenter,
            scale=self.scale.value or None,
            scalebar=self.scalebar.value,
        )

    def run(self) -> FunctionWorker | None:
        """Start measuring the chosen image (None where there is none); the layers come when
        the worker returns."""
        layer: napari.layers.Image | None = self.image.value
        if layer is None:
            self._say("open an image first")
            return None
        request = self.request()
        try:
            request.out.mkdir(parents=True, exist_ok=True)
            path = image_file(layer.name, layer.data, layer.source.path, request.out)
        except (OSError, ValueError) as exc:
            self._say(f"cannot save {layer.name!r} for measuring: {first_line(exc)}")
            return None
        self.button.enabled = False
        self.status.value = f"measuring {path.name} ..."
        self.worker = _measure_worker(path, request)
        self.worker.returned.connect(lambda result: self._done(layer, result))
        self.worker.finished.connect(lambda: setattr(self.button, "enabled", True))
        self.worker.start()
        return self.worker

    def _done(self, image: napari.layers.Image, result: tuple[list[LayerData], bool] | str) -> None:
        """Put ``image`` on the run's scale and add the run's labels layer of it; or say what
        went wrong (``result`` a message)."""
        if isinstance(result, str):
            self._say(result)
            return
        layers, new = result
        data, kwargs, _ = next(layer for layer in layers if layer[2] == "labels")
        image.scale = kwargs["scale"]
        if "units" in kwargs:
            image.units = kwargs["units"]
        image.metadata = {**image.metadata, **kwargs["metadata"]}
        self.viewer.add_labels(data, **{**kwargs, "visible": True})
        self.viewer.scale_bar.visible = True
        self.viewer.reset_view()
        info = kwargs["metadata"]["nanokit"]
        done = "measured" if new else "already measured there (kept)"
        self._say(f"{info['image']}: {done}; {info['status']}", error=False)

    def _say(self, message: str, error: bool = True) -> None:
        """Show ``message`` in the widget and as a napari notification."""
        from napari.utils.notifications import show_error, show_info

        self.status.value = message
        (show_error if error else show_info)(message)


@thread_worker
def _measure_worker(path: Path, request: MeasureRequest) -> tuple[list[LayerData], bool] | str:
    """:func:`measure_file` off the GUI thread; bad input or settings give a one-line message
    instead of layers."""
    try:
        return measure_file(path, request)
    except (NanokitError, OSError, ValueError) as exc:
        return f"{path.name}: {first_line(exc, type(exc).__name__)}"
