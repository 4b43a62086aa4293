# Measurement as in the paper: PaddleOCR reads the scale bar, connected components give ECDs.
# Keys of the measure section (nanokit/apis/measure.py): ocr_engine, sizer, scalebar ("auto" or
# "off"), scale (nm/px or a CSV), segmenter (a classical segmenter instead of the trained model),
# checkpoint (default: best/last weights in work_dir), tile_size (default: crop_size), images
# (default: the test split), out (default: <work_dir>/measure), workers, few_particles,
# touching_fraction.
measure = dict(
    ocr_engine=dict(type="PaddleOCREngine"),
    sizer=dict(type="EcdSizer", min_area_px=10, exclude_border=True),
    scalebar="auto",
    scale=None,
)
