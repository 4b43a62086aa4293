# Measurement without a trained model, as `nanokit measure` does by default: the classical
# segmenter, touching particles split by a marker watershed, RapidOCR for the scale bars.
measure = dict(
    segmenter=dict(type="ClassicalSegmenter"),
    ocr_engine=dict(type="RapidOCREngine"),
    sizer=dict(type="WatershedSizer", min_area_px=10, exclude_border=True),
    scalebar="auto",
    scale=None,
)
