"""Metadata against scale bar: both kept, a disagreement flagged, one of them chosen.

The rule: metadata that passed its check against the image (or could not be checked) is used,
as SPEC orders, but a scale set by a user in ImageJ (``user-set``) gives way to a scale bar
read with certainty that disagrees with it by more than 2 %. Metadata that failed it gives way to a scale bar read with certainty (a reading
the detector accepts: unambiguous label, bar length known to 1 %): when the tags contradict
themselves (``inconsistent``), always; when the image was resized after the tags were written
(``rescaled``), if the bar agrees with the rescaled value, and otherwise neither is used (the
rescaled value assumes a resize without a crop; the bar may be misread: the record is refused).
Without a usable bar the checked (rescaled) metadata value is used and the failed check stays
flagged. A difference over 2 % between the bar and the value written in the file is flagged.
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
    "other_marks",
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
    check = meta.metadata_check
    if not bar.ok or bar.nm_per_px is None:
        why = f"scale bar not usable ({bar.error})" if bar.error else "no scale bar"
        record.decision = f"metadata ({check}); {why}"
        return record
    record.scalebar_nm_per_px = bar.nm_per_px
    written = meta.metadata_nm_per_px or meta.nm_per_px
    difference = bar.nm_per_px / written - 1
    versus = f"scale bar {bar.nm_per_px:.4g} nm/px, {100 * difference:+.1f} % from metadata"
    if abs(difference) > disagree:
        record.flags.append(DISAGREE_FLAG)
    # a scale set by a user (ImageJ) may be drawn by hand or left over from another image
    user_set_off = check == "user-set" and abs(difference) > disagree
    if check not in ("rescaled", "inconsistent") and not user_set_off:
        record.decision = f"metadata ({check}); {versus}"
        if abs(difference) > disagree:
            record.flags.append(f"used metadata: {check} with the image size")
        return record
    off = bar.nm_per_px / meta.nm_per_px - 1
    if check == "rescaled" and abs(off) > disagree:
        record.error = record.decision = (
            f"metadata rescaled to {meta.nm_per_px:.4g} nm/px and scale bar "
            f"{bar.nm_per_px:.4g} nm/px disagree ({100 * off:+.1f} %): neither is used"
        )
        record.ok, record.source, record.nm_per_px = False, "", None
        return record
    record.source, record.nm_per_px = "scalebar", bar.nm_per_px
    record.decision = f"scale bar: metadata {check} ({versus})"
    record.flags.append(f"used scale bar: metadata {check}")
    return record
