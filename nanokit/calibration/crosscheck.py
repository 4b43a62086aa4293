"""Metadata against scale bar: both kept, a disagreement flagged, one of them chosen.

The rule: metadata that passed its check against the image (or could not be checked) is used,
as SPEC orders; metadata that failed it (the image was resized after the tags were written, or
the tags contradict themselves) gives way to a scale bar that was read with certainty (a
reading the detector accepts: unambiguous label, bar length known to 1 %). Without such a bar,
the checked (rescaled) metadata value is used and the failed check stays flagged.
"""

from __future__ import annotations

from .record import CalibrationRecord

#: Relative difference between metadata and scale bar that is flagged.
DISAGREE = 0.02
#: QC flag for a disagreement between metadata and scale bar.
DISAGREE_FLAG = "metadata and bar disagree"
#: Scale-bar fields copied into the combined record.
BAR_FIELDS = (
    "value",
    "unit",
    "value_nm",
    "bar_px",
    "text",
    "engine",
    "label_bbox",
    "bar_endpoints",
    "confidence",
    "bar_px_uncertainty",
)


def cross_check(
    meta: CalibrationRecord, bar: CalibrationRecord, disagree: float = DISAGREE
) -> CalibrationRecord:
    """The metadata record ``meta`` (ok) with the scale-bar reading ``bar`` beside it, the
    disagreement flag, and the chosen source in ``source``, ``nm_per_px`` and ``decision``."""
    assert meta.ok and meta.nm_per_px is not None
    record = meta
    for key in BAR_FIELDS:
        setattr(record, key, getattr(bar, key))
    record.databar_rows = record.databar_rows or bar.databar_rows
    failed = meta.metadata_check in ("rescaled", "inconsistent")
    if not bar.ok or bar.nm_per_px is None:
        why = f"scale bar not usable ({bar.error})" if bar.error else "no scale bar"
        record.decision = f"metadata ({meta.metadata_check}); {why}"
        return record
    record.scalebar_nm_per_px = bar.nm_per_px
    difference = bar.nm_per_px / meta.nm_per_px - 1
    versus = f"scale bar {bar.nm_per_px:.4g} nm/px, {100 * difference:+.1f} % from metadata"
    if abs(difference) > disagree:
        record.flags.append(DISAGREE_FLAG)
    if failed:
        record.source, record.nm_per_px = "scalebar", bar.nm_per_px
        record.decision = f"scale bar: metadata {meta.metadata_check} ({versus})"
        record.flags.append(f"used scale bar: metadata {meta.metadata_check}")
    else:
        record.decision = f"metadata ({meta.metadata_check}); {versus}"
        if abs(difference) > disagree:
            record.flags.append(f"used metadata: {meta.metadata_check} with the image size")
    return record
