"""Made-up instrument settings for data-bar text, consistent with the image's pixel size."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Instrument:
    """Acquisition settings printed in a data bar.

    ``hfw_nm`` is the horizontal field width (image width x pixel size), from which each
    vendor's magnification follows for its reference display width.
    """

    hv_kv: float
    wd_mm: float
    hfw_nm: float
    detector: str
    spot: float
    date: tuple[int, int, int]  # day, month (1-12), year
    time: tuple[int, int, int]  # h, m, s
    photo: int

    def mag(self, display_mm: float) -> float:
        """Magnification for a display ``display_mm`` wide (Polaroid 127 mm, JEOL 120 mm)."""
        return display_mm * 1e6 / self.hfw_nm


def random_instrument(
    rng: np.random.Generator, nm_per_px: float, width: int, detectors: tuple[str, ...]
) -> Instrument:
    """Draw plausible settings for an image ``width`` px wide at ``nm_per_px``."""
    return Instrument(
        hv_kv=float(rng.choice([1.0, 2.0, 3.0, 5.0, 10.0, 15.0, 20.0, 30.0])),
        wd_mm=float(rng.uniform(2.0, 15.0)),
        hfw_nm=nm_per_px * width,
        detector=str(rng.choice(detectors)),
        spot=float(rng.choice([2.0, 3.0, 3.5, 4.0, 5.0])),
        date=(int(rng.integers(1, 29)), int(rng.integers(1, 13)), int(rng.integers(2008, 2026))),
        time=(int(rng.integers(0, 24)), int(rng.integers(0, 60)), int(rng.integers(0, 60))),
        photo=int(rng.integers(1, 400)),
    )


def sig(x: float, digits: int = 3) -> str:
    """``x`` with ``digits`` significant digits, no exponent: 20.7, 7.52, 152."""
    decimals = max(0, digits - 1 - int(np.floor(np.log10(abs(x)))))
    return f"{x:.{decimals}f}"


def length_text(nm: float, micro: str = "\u00b5", space: str = " ") -> str:
    """A length in the largest unit that keeps it >= 1: "20.7 µm", "850 nm", "1.49 mm"."""
    if nm >= 1e6:
        return f"{sig(nm / 1e6)}{space}mm"
    if nm >= 1e3:
        return f"{sig(nm / 1e3)}{space}{micro}m"
    return f"{sig(nm)}{space}nm"


def grouped(x: float, sep: str) -> str:
    """``x`` to 3 significant digits with thousands groups: grouped(49876, ",") == "49,900"."""
    digits = int(np.floor(np.log10(x))) - 2
    return f"{round(round(x, -digits)):,}".replace(",", sep)


def kilo_mag(x: float, kilo: str = "k", ones: str = "") -> str:
    """Hitachi / Tescan style magnification: "100k", "30.0k", "1.00k", "500"."""
    return f"{sig(x / 1000)}{kilo}" if x >= 1000 else f"{round(x)}{ones}"


def date_text(inst: Instrument, style: str) -> str:
    """Acquisition date: ``"dmy"`` (16 Jan 2019), ``"mdy"`` (01/16/19) or ``"iso"``."""
    d, m, y = inst.date
    if style == "dmy":
        return f"{d} {MONTHS[m - 1]} {y}"
    if style == "mdy":
        return f"{m:02d}/{d:02d}/{y % 100:02d}"
    return f"{y}-{m:02d}-{d:02d}"


def time_text(inst: Instrument) -> str:
    """Acquisition time "15:05:41"."""
    h, m, s = inst.time
    return f"{h:02d}:{m:02d}:{s:02d}"
