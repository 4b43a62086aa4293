"""Size histograms with their log-normal fit (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

#: Ratio of the 99th to the 1st percentile diameter beyond which a histogram gets a log axis
#: (e.g. several samples pooled): linear bins would put nearly every particle in the first one.
WIDE_SPREAD = 30.0


class FigurePool:
    """Figures kept for reuse, one per figure size: a plot empties one and draws on it.

    New axes cost 30 % of a plot (their ticks and spines are made anew), emptied ones draw
    the same pixels. A pool is not thread-safe: give each thread (or worker) its own.
    """

    def __init__(self) -> None:
        self._by_size: dict[tuple[float, float], tuple[Any, Any]] = {}

    def empty_axes(self, size: tuple[float, float]) -> tuple[Any, Any]:
        """A figure of ``size`` inches (100 dpi) and its axes, without any data."""
        if size not in self._by_size:
            import matplotlib

            matplotlib.use("Agg")
            from matplotlib.figure import Figure

            fig = Figure(figsize=size, dpi=100)
            self._by_size[size] = fig, fig.add_subplot()
        fig, ax = self._by_size[size]
        for artist in [*ax.patches, *ax.lines, *ax.collections, *ax.texts]:
            artist.remove()
        if ax.legend_ is not None:
            ax.legend_.remove()
        ax.relim()
        # The limits of new axes, still autoscaled to the next data.
        ax.set_xscale("linear")
        ax.set_xlim(0, 1, auto=None)
        ax.set_ylim(0, 1, auto=None)
        return fig, ax


def histogram_png(
    diameters: np.ndarray,
    path: Path,
    unit: str = "nm",
    title: str = "",
    stats: dict[str, Any] | None = None,
    size: tuple[float, float] = (6.0, 4.0),
    figures: FigurePool | None = None,
) -> Path:
    """Write a histogram of diameters with the log-normal fit and D10/D50/D90 marks.

    Args:
        diameters: (n,) diameters in ``unit``.
        path: PNG file to write.
        unit: axis unit (``nm`` or ``px``).
        title: plot title.
        stats: :func:`nanokit.measure.stats.summarize` of the same diameters, for the fit and
            the percentile lines.
        size: figure size in inches (100 dpi).
        figures: where the figure comes from, to reuse it for the next plot (callers that plot
            many histograms keep one pool per thread); None: a new figure.

    Returns:
        ``path``.
    """
    from scipy.stats import lognorm

    d = np.asarray(diameters, dtype=np.float64)
    fig, ax = (figures or FigurePool()).empty_axes(size)
    log = spans_decades(d)
    if d.size:
        bins = int(np.clip(np.sqrt(d.size) * 1.5, 8, 40))
        if log:
            bins = np.geomspace(d.min(), d.max(), bins + 1)
            ax.set_xscale("log")
        # One filled outline and one set of white separators: drawn like bars with white
        # edges, at a fraction of the cost of one patch per bar.
        counts, edges = np.histogram(d, bins=bins)
        ax.stairs(counts, edges, fill=True, color="#7aa6c2", label=f"N = {d.size}")
        ax.vlines(edges[1:-1], 0, np.maximum(counts[:-1], counts[1:]), colors="white", lw=1)
        fit = (stats or {}).get("lognormal")
        if fit is not None:
            x = (np.geomspace if log else np.linspace)(max(edges[0], 1e-9), edges[-1], 300)
            pdf = lognorm.pdf(x, s=fit["sigma"], scale=np.exp(fit["mu"]))
            # expected particles per bin: the bins have equal widths in d, or in log d
            width = x * np.log(edges[1] / edges[0]) if log else edges[1] - edges[0]
            ax.plot(
                x,
                pdf * d.size * width,
                color="#c0392b",
                label=f"log-normal: median {fit['median']:.3g} {unit}, GSD {fit['gsd']:.3g}",
            )
        for name, style in (("d10", ":"), ("d50", "--"), ("d90", ":")):
            if stats and stats.get(name) is not None:
                ax.axvline(stats[name], color="#333333", linestyle=style, linewidth=1)
        ax.legend(fontsize=8)
    else:
        ax.text(0.5, 0.5, "no particles", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel(f"area-equivalent diameter ({unit}){', log scale' if log else ''}")
    ax.set_ylabel("particles")
    # A fixed title position (y=1, where it goes anyway) and margins: placing them
    # automatically measures the tick labels, or draws the figure once more.
    ax.set_title(title, fontsize=10, y=1.0)
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.14, top=0.9)
    fig.savefig(path, pil_kwargs={"compress_level": 1})
    return path


def spans_decades(diameters: np.ndarray) -> bool:
    """True when the diameters' 99th percentile is over :data:`WIDE_SPREAD` times their 1st
    (all positive): a histogram of them needs a log axis."""
    d = np.asarray(diameters, dtype=np.float64)
    if d.size < 2 or not (d > 0).all():
        return False
    low, high = np.percentile(d, [1, 99])
    return bool(high > WIDE_SPREAD * low)
