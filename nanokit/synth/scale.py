"""Pixel size and scale-bar value for a synthetic image, and how the label prints it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: realistic SEM pixel sizes, nm per pixel (log-uniform in this range)
NM_PER_PX_RANGE = (0.2, 50.0)
#: calibrated bar length in pixels
BAR_PX_RANGE = (60, 300)
#: how "µm" is printed: micro sign U+00B5, Greek mu U+03BC, or ASCII "u"
MICRO_SIGNS = ("\u00b5", "\u03bc", "u")


@dataclass(frozen=True)
class Scale:
    """A bar of ``bar_px`` pixels that stands for ``value_nm`` nanometres."""

    value_nm: int
    bar_px: int

    @property
    def nm_per_px(self) -> float:
        return self.value_nm / self.bar_px


@dataclass(frozen=True)
class LabelText:
    """A scale label as printed: ``text`` reads ``value`` ``unit`` (unit one of nm, um)."""

    text: str
    value: float
    unit: str


def choose_scale(rng: np.random.Generator) -> Scale:
    """Draw a pixel size, then a "nice" bar value (1, 2 or 5 x 10^k nm) of 60-300 px."""
    lo, hi = np.log(NM_PER_PX_RANGE[0]), np.log(NM_PER_PX_RANGE[1])
    nm_per_px = float(np.exp(rng.uniform(lo, hi)))
    nice = [m * 10**k for k in range(0, 6) for m in (1, 2, 5)]
    fits = [v for v in nice if BAR_PX_RANGE[0] <= v / nm_per_px <= BAR_PX_RANGE[1]]
    value_nm = int(fits[rng.integers(len(fits))])
    return Scale(value_nm=value_nm, bar_px=round(value_nm / nm_per_px))


def format_label(
    value_nm: int,
    rng: np.random.Generator,
    *,
    digits: str = "auto",
    space: bool | None = None,
    micro: str | None = None,
) -> LabelText:
    """Print ``value_nm`` the way instruments and journals do.

    Args:
        value_nm: the bar value in nm (a 1, 2 or 5 x 10^k number).
        rng: random choices not fixed by the other arguments.
        digits: ``"plain"`` ("5 µm", "500 nm"), ``"sig3"`` (Hitachi: "5.00µm", "50.0µm",
            "500nm"), ``"one"`` ("5.0 µm") or ``"auto"`` (mostly plain, sometimes the others,
            sometimes sub-micron values in µm: "0.5 µm", rarely a decimal comma: "0,5 µm").
        space: a space between number and unit; random when None.
        micro: how micro is written (one of :data:`MICRO_SIGNS`); random when None.
    """
    if micro is None:
        micro = MICRO_SIGNS[rng.choice(3, p=[0.5, 0.3, 0.2])]
    if space is None:
        space = bool(rng.random() < 0.7)
    comma = False
    if digits == "auto":
        digits = str(rng.choice(["plain", "one", "sig3"], p=[0.75, 0.15, 0.1]))
        comma = bool(rng.random() < 0.1)
    unit = "um" if value_nm >= 1000 else "nm"
    if unit == "nm" and value_nm >= 100 and digits == "plain" and rng.random() < 0.15:
        unit = "um"
    value = value_nm / 1000 if unit == "um" else float(value_nm)
    if digits == "sig3":
        decimals = max(0, 2 - int(np.floor(np.log10(value))))
    elif digits == "one" or value < 1:
        decimals = 1
    else:
        decimals = 0
    number = f"{value:.{decimals}f}"
    if comma:
        number = number.replace(".", ",")
    symbol = "nm" if unit == "nm" else f"{micro}m"
    return LabelText(text=f"{number}{' ' if space else ''}{symbol}", value=value, unit=unit)
