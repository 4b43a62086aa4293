"""napari reader contribution: open a ``nanokit measure`` output folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nanokit.errors import NanokitError

from .run_layers import LayerData, is_run_folder, run_layers


def get_reader(path: str | list[str]) -> Callable[[str | list[str]], list[LayerData]] | None:
    """``read_run`` for a measure output folder; None for anything else (napari then tries
    its other readers)."""
    if isinstance(path, list):
        if len(path) != 1:
            return None
        path = path[0]
    return read_run if is_run_folder(path) else None


def read_run(path: str | list[str]) -> list[LayerData]:
    """The layers of a measure output folder (see :func:`~nanokit_napari.run_layers.run_layers`).

    Raises:
        NanokitError: the folder holds nothing to show (napari shows the one-line message).
    """
    folder = Path(path[0] if isinstance(path, list) else path)
    try:
        return run_layers(folder)
    except NanokitError:
        raise
    except (OSError, ValueError, KeyError) as exc:
        raise NanokitError(f"cannot read measure output {folder}: {exc}") from exc
