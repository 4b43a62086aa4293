"""cross_check: both readings kept, a disagreement flagged, the rule that chooses."""

from __future__ import annotations

import pytest

from nanokit.calibration.crosscheck import DISAGREE_FLAG, cross_check
from nanokit.calibration.record import CalibrationRecord


def _meta(check: str, nm: float = 10.0) -> CalibrationRecord:
    return CalibrationRecord(
        image="a.tif",
        ok=True,
        nm_per_px=nm,
        source="metadata",
        metadata_nm_per_px=5.0 if check == "rescaled" else nm,
        metadata_check=check,
    )


def _bar(nm: float | None, error: str = "") -> CalibrationRecord:
    return CalibrationRecord(
        image="a.tif",
        ok=nm is not None,
        nm_per_px=nm,
        source="scalebar",
        value=200.0,
        unit="nm",
        bar_px=None if nm is None else 200 / nm,
        error=error,
    )


@pytest.mark.parametrize("check", ["consistent", "unchecked"])
def test_trusted_metadata_wins_and_a_disagreement_is_flagged(check: str) -> None:
    rec = cross_check(_meta(check), _bar(10.5))
    assert rec.source == "metadata" and rec.nm_per_px == 10.0
    assert rec.scalebar_nm_per_px == 10.5 and rec.metadata_nm_per_px == 10.0
    assert DISAGREE_FLAG in rec.flags
    assert f"used metadata: {check} with the image size" in rec.flags
    assert rec.decision.startswith(f"metadata ({check})") and "+5.0 %" in rec.decision


def test_agreement_within_two_percent_is_not_flagged() -> None:
    rec = cross_check(_meta("consistent"), _bar(10.15))
    assert rec.source == "metadata" and rec.flags == [] and rec.value == 200.0


def test_a_certain_bar_that_agrees_with_rescaled_metadata_wins() -> None:
    # written 5 nm/px for the stored width, 10 nm/px rescaled to this image, the bar 10.1
    rec = cross_check(_meta("rescaled", 10.0), _bar(10.1))
    assert rec.ok and rec.source == "scalebar" and rec.nm_per_px == 10.1
    assert DISAGREE_FLAG in rec.flags  # against the value written in the file
    assert "used scale bar: metadata rescaled" in rec.flags
    assert rec.decision.startswith("scale bar: metadata rescaled")


def test_bar_against_rescaled_metadata_is_refused() -> None:
    rec = cross_check(_meta("rescaled", 10.0), _bar(45.0))
    assert not rec.ok and rec.nm_per_px is None and rec.source == ""
    assert rec.metadata_nm_per_px == 5.0 and rec.scalebar_nm_per_px == 45.0
    assert "disagree (+350.0 %): neither is used" in rec.error


@pytest.mark.parametrize("check, bar", [("inconsistent", 11.0), ("user-set", 12.5)])
def test_a_certain_bar_wins_over_contradictory_tags_or_a_user_set_scale(
    check: str, bar: float
) -> None:
    """Tags that contradict themselves; an ImageJ scale left over from another image, or drawn
    by hand, that disagrees with the bar: the bar is measured."""
    rec = cross_check(_meta(check, 10.0), _bar(bar))
    assert rec.source == "scalebar" and rec.nm_per_px == bar
    assert DISAGREE_FLAG in rec.flags and f"used scale bar: metadata {check}" in rec.flags


def test_failed_check_without_a_bar_keeps_the_checked_metadata() -> None:
    rec = cross_check(_meta("rescaled", 10.0), _bar(None, "no scale bar with a text label found"))
    assert rec.ok and rec.source == "metadata" and rec.nm_per_px == 10.0
    assert rec.scalebar_nm_per_px is None
    assert "no scale bar with a text label found" in rec.decision


def test_a_user_set_scale_that_agrees_with_the_bar_is_used() -> None:
    rec = cross_check(_meta("user-set", 10.0), _bar(10.1))
    assert rec.source == "metadata" and rec.nm_per_px == 10.0 and rec.flags == []
    assert rec.decision.startswith("metadata (user-set)")


def test_a_user_set_scale_without_a_bar_is_used() -> None:
    rec = cross_check(_meta("user-set", 10.0), _bar(None, "no scale bar with a text label found"))
    assert rec.ok and rec.source == "metadata" and rec.nm_per_px == 10.0
