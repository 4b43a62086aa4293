# The calibration chain (nanokit/calibration/calibrators/chain.py), in SPEC's order: the file's
# metadata (checked against the image), then the scale bar, always read beside the metadata.
# `nanokit measure --scale` / `nanokit measure --scalebar off` add a manual calibrator first / drop
# the scale bar. `disagree`: relative difference between metadata and bar that is flagged.
calibration = dict(
    type="CalibrationChain",
    disagree=0.02,
    calibrators=[
        dict(type="MetadataCalibrator"),
        dict(type="ScalebarCalibrator", engine=dict(type="RapidOCREngine")),
    ],
)
