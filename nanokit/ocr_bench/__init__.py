"""``nanokit bench-ocr``'s benchmark: labelled images (:mod:`.data`), every engine through the
scale-bar reader (:mod:`.scoring`), the tables (:mod:`.tables`)."""
