"""Progress bars (tqdm on stderr), silenced by ``--quiet``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress(
    items: Iterable[T], desc: str, total: int | None = None, quiet: bool = False
) -> Iterator[T]:
    """Iterate ``items`` with a progress bar showing rate and ETA unless ``quiet``."""
    from tqdm.auto import tqdm

    yield from tqdm(items, desc=desc, total=total, disable=quiet, unit="img", dynamic_ncols=True)
