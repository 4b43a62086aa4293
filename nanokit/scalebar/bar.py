"""A scale-bar candidate (:class:`Bar`) and the conventions of its calibrated length.

Bars are found in :mod:`.bar_finder`, their ends measured in :mod:`.bar_ends` (end ticks in
:mod:`.bar_ticks`), Hitachi rulers found in :mod:`.ruler`. All of them work on a
*foreground-bright* grey image: (H, W) uint8 where the bar is brighter than its surroundings (a
black bar is found in the inverted image). Lengths are in px along x.

Conventions (those of ``shared/data/scalebars/truth.csv``):

- plain rectangle (filled or outlined): the outer length, edges at 60 % of the contrast;
- bar with end ticks (Zeiss, Tescan, FEI): the span between the two tick centres;
- dotted ruler of 11 ticks (Hitachi): the span between the first and the last tick centre.

Every measured bar carries the uncertainty of its two ends (``Bar.end_u``, px); the detector
refuses bars whose length is uncertain by more than 1 %.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

#: Threshold levels tried on the foreground-bright image (the bar need not be saturated).
LEVELS = (64, 96, 128, 160, 192, 224)

#: Least contrast between a bar and the pixels right above and below it, grey levels.
MIN_CONTRAST = 35.0


@dataclass
class Bar:
    """A scale-bar candidate in image pixels.

    Attributes:
        x0, y0, x1, y1: outer box of the horizontal bar (inclusive), px.
        fg, bg: grey level of the bar and of its surroundings (foreground-bright image).
        left, right: sub-pixel x of the calibrated ends (edges or tick centres), px.
        style: ``plain``, ``outlined``, ``ticked``, ``split`` (ticked bar cut by its label) or
            ``ruler``.
        gap: for ``split`` bars, the x-range (x0, x1) between the two halves.
        ticks: x of the end-tick centres when found (then ``left``, ``right`` are these).
        end_u: uncertainty of ``left`` and ``right``, px (edges: how far the end moves between
            edge conventions; ticks: centroid asymmetry and the end's edge uncertainty in
            quadrature; rulers: tick scatter).
    """

    x0: int
    y0: int
    x1: int
    y1: int
    fg: float = 0.0
    bg: float = 0.0
    left: float = 0.0
    right: float = 0.0
    style: str = "plain"
    gap: tuple[int, int] | None = None
    ticks: tuple[float, float] | None = None
    end_u: tuple[float, float] = (0.0, 0.0)

    def shifted(self, dy: int) -> Bar:
        """The same bar ``dy`` rows lower (for bars found in a horizontal band of an image)."""
        return replace(self, y0=self.y0 + dy, y1=self.y1 + dy)

    @property
    def length(self) -> float:
        """Calibrated length, px."""
        return self.right - self.left

    @property
    def uncertainty(self) -> float:
        """Uncertainty of :attr:`length`, px: the sum of both ends' (the conventions that place
        the ends move both alike, e.g. both inwards on a blurred bar)."""
        return float(sum(self.end_u))

    @property
    def box(self) -> tuple[int, int, int, int]:
        """Outer box (x0, y0, x1, y1), px."""
        return self.x0, self.y0, self.x1, self.y1

    @property
    def width(self) -> int:
        """Outer width, px."""
        return self.x1 - self.x0 + 1

    @property
    def thickness(self) -> int:
        """Height of the bar's line, px."""
        return self.y1 - self.y0 + 1

    @property
    def contrast(self) -> float:
        """Grey-level difference between bar and surroundings."""
        return self.fg - self.bg
