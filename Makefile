# Lifecycle Kit: `make lab` opens the course, `make test` runs every test.
# Both create .venv on first use and refresh it when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

# Small scikit-learn fits on 2 cores are about 10x steadier single-threaded.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: lab test test-browser bench present env doctor clean help
NB ?= 04

help:
	@echo "make lab           open the course in JupyterLab (127.0.0.1, token)"
	@echo "make test          run the whole test suite (unit, labs, notebooks)"
	@echo "make test-browser  drive JupyterLab in Chromium (installs chromium as root)"
	@echo "make bench         print the benchmark tables"
	@echo "make present NB=04 serve a stage notebook's labs with Voila (app mode, code hidden)"
	@echo "make doctor        check the environment"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# uv installs from the registry about 10x faster than pip; pip is the fallback.
$(STAMP): pyproject.toml | $(BIN)/python
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv || true
	@if [ -x $(BIN)/uv ]; then \
		$(BIN)/uv pip install --python $(BIN)/python --quiet -e ".[test,present,crosscheck]"; \
	else \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test,present,crosscheck]"; \
	fi
	@$(BIN)/jupyter labextension disable "@jupyterlab/apputils-extension:announcements" >/dev/null 2>&1 || true
	@touch $(STAMP)

env: $(STAMP)

lab: $(STAMP)
	$(BIN)/lifecycle-kit lab

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

test-browser: $(STAMP)
	@$(BIN)/python tools/ensure_chromium.py
	$(BIN)/python -m pytest -p no:cacheprovider -o addopts="" tests/browser -ra $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

present: $(STAMP)
	$(BIN)/lifecycle-kit present $(NB)

doctor: $(STAMP)
	$(BIN)/lifecycle-kit doctor

clean:
	rm -rf $(VENV) .pytest_cache tests/artifacts build dist *.egg-info
