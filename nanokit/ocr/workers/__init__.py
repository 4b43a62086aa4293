"""Worker-side scripts of out-of-process OCR engines, run by path in another environment.

Nothing here imports nanokit: ``serve.py`` speaks the protocol, each ``*_worker.py`` loads one
engine (see :mod:`nanokit.ocr.worker` for the engine side).
"""
