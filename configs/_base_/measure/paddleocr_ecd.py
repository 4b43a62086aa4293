# Measurement as in the paper: PaddleOCR reads the scale bar, connected components give ECDs.
measure = dict(
    ocr_engine=dict(type="PaddleOCREngine"),
    sizer=dict(type="EcdSizer", min_area_px=10, exclude_border=True),
    scalebar="auto",
    scale=None,
)
