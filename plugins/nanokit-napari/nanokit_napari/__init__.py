"""napari plugin for nanokit: open a ``nanokit measure`` output folder as image, labels and
particle table; run measure on an open image; save corrected labels for ``nanokit remeasure``."""

from .run_layers import is_run_folder, run_layers

__all__ = ["is_run_folder", "run_layers"]
