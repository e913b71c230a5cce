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

.PHONY: lab lab-ru test test-quick test-pythons test-docs test-load test-browser bench present present-ru docs typecheck lint env doctor clean help i18n dist
NB ?= 04

help:
	@echo "make lab           open the course in JupyterLab (127.0.0.1, token)"
	@echo "make lab-ru        open the Russian edition, JupyterLab's interface in Russian"
	@echo "make test          run the whole test suite (unit, labs, notebooks; 4-6 min)"
	@echo "make test-quick    everything but the notebook executions and the docs build (3-4 min)"
	@echo "make test-pythons  the quick suite on every other Python >= 3.11 found (pyenv, python3.X)"
	@echo "make test-load     notebooks under CPU load: no stall between cells in 30 runs (several minutes)"
	@echo "make test-browser  drive JupyterLab and Voila in Chromium, with axe-core (installs chromium as root, axe-core with npm)"
	@echo "make test-hub      a class of three on a demonstration JupyterHub, over HTTP"
	@echo "make hub           start a demonstration JupyterHub class on http://127.0.0.1:8000"
	@echo "make bench         print the benchmark tables"
	@echo "make test-docs     build the site with every notebook's outputs and check every page (about 5 min)"
	@echo "make docs          build the documentation site offline into build/docs (notebooks executed, cached)"
	@echo "make dist          build the sdist and the wheel into dist/ and check them with twine"
	@echo "make typecheck     run mypy over lifecycle_kit (also part of make test)"
	@echo "make lint          run ruff with pyproject's settings, fixing what it can (checked by make test)"
	@echo "make present NB=04 serve a stage notebook's labs with Voila (app mode, code hidden)"
	@echo "make present-ru NB=04  the same in Russian"
	@echo "make i18n          extract the translatable phrases, update and compile the catalogs"
	@echo "make doctor        check the environment"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# uv installs from the registry about 10x faster than pip; pip is the fallback.
# Says what it is doing: the first install takes 1-3 minutes and used to print nothing.
# Every extra the tests exercise: Parquet and Excel too (tests/test_cli_reading.py reads with pyarrow and with
# pandas, both). Listed here once; the stamp also follows this Makefile, so a venv made with fewer extras is refreshed.
EXTRAS := test,present,crosscheck,docs,release,parquet,excel

$(STAMP): pyproject.toml Makefile | $(BIN)/python
	@echo "Installing the course environment into $(VENV) (first time: 1-3 minutes; later: seconds) ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv || true
	@if [ -x $(BIN)/uv ]; then \
		$(BIN)/uv pip install --python $(BIN)/python -e ".[$(EXTRAS)]"; \
	else \
		$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -e ".[$(EXTRAS)]"; \
	fi
	@$(BIN)/jupyter labextension disable "@jupyterlab/apputils-extension:announcements" >/dev/null 2>&1 || true
	@touch $(STAMP)
	@echo "Environment ready."

env: $(STAMP)

# A class on JupyterHub: the `hub` extra, and configurable-http-proxy from npm (pinned by package-lock.json).
HUB_DIR   := deploy/jupyterhub
HUB_STAMP := $(VENV)/.hub-installed
HUB_PROXY := $(HUB_DIR)/node_modules/.package-lock.json
.PHONY: hub hub-proxy test-hub

$(HUB_STAMP): pyproject.toml $(STAMP)
	@if [ -x $(BIN)/uv ]; then \
		$(BIN)/uv pip install --python $(BIN)/python --quiet -e ".[hub]"; \
	else \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[hub]"; \
	fi
	@touch $(HUB_STAMP)

$(HUB_PROXY): $(HUB_DIR)/package.json $(HUB_DIR)/package-lock.json
	cd $(HUB_DIR) && npm ci --omit=dev --no-audit --no-fund --loglevel=error

hub-proxy: $(HUB_PROXY)

hub: $(HUB_STAMP) $(HUB_PROXY)
	$(BIN)/jupyterhub -f $(HUB_DIR)/demo_config.py

test-hub: $(HUB_STAMP) $(HUB_PROXY)
	$(BIN)/python -m pytest -p no:cacheprovider -o addopts="" tests/hub -ra $(PYTEST_ARGS)

lab: $(STAMP)
	$(BIN)/lifecycle-kit lab

lab-ru: $(STAMP)
	$(BIN)/lifecycle-kit lab --lang ru

# Names each test as it finishes (not only dots) and lists the slowest at the end.
test: $(STAMP)
	@echo "Running every test: unit, labs, doctests and all notebooks (about 4-6 minutes on 2 cores) ..."
	$(BIN)/python -m pytest -n 2 -v --durations=10 $(PYTEST_ARGS)

# The quick loop while editing: everything but the notebook executions and the
# documentation build (about 400 CPU seconds on 2 workers: 3½-4 minutes on a quiet 2-core machine).
test-quick: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not notebook and not docs and not dist" $(PYTEST_ARGS)

# The quick suite on every other Python >= 3.11 on the machine (pyenv's, python3.X on PATH), each in a
# throw-away environment made by uv; says which it found and how long each took (tools/test_pythons.py).
test-pythons: $(STAMP)
	$(BIN)/python tools/test_pythons.py $(if $(PYTEST_ARGS),-- $(PYTEST_ARGS))

# Notebooks under CPU load (processes started and ended by the test): 30 runs with no stall between cells.
# Several minutes on 2 cores, so not part of make test (make bench prints the same trial).
test-load: $(STAMP)
	LIFECYCLE_KIT_LOAD_TESTS=1 $(BIN)/python -m pytest -m load tests/test_notebook_stalls.py -v $(PYTEST_ARGS)

# axe-core for the accessibility tests, from npm, pinned by tests/browser/axe/package-lock.json (offline after this).
AXE_DIR := tests/browser/axe
AXE     := $(AXE_DIR)/node_modules/axe-core/axe.min.js

$(AXE): $(AXE_DIR)/package.json $(AXE_DIR)/package-lock.json
	cd $(AXE_DIR) && npm ci --omit=dev --no-audit --no-fund --loglevel=error
	@touch $(AXE)

test-browser: $(STAMP) $(AXE)
	@$(BIN)/python tools/ensure_chromium.py
	$(BIN)/python -m pytest -p no:cacheprovider -o addopts="" tests/browser -ra $(PYTEST_ARGS)

# The guides, the glossary, the API reference and the notebooks (not executed),
# offline; warnings are errors, as in tests/test_docs_site.py.
# The documentation site with every notebook run for its outputs, and checked (make test runs it with one
# notebook per edition); .ci/run calls it.
test-docs: $(STAMP)
	LIFECYCLE_KIT_DOCS_EXECUTE=all $(BIN)/python -m pytest -p no:cacheprovider -m docs tests/test_docs_site.py $(PYTEST_ARGS)

docs: $(STAMP)
	$(BIN)/sphinx-build -b html -W --keep-going -q docs build/docs
	@echo "Documentation site: build/docs/index.html"

# The release: the sdist, and the wheel built from it (so the sdist is proved complete), both checked as PyPI
# would render them. tests/test_dist.py installs the wheel outside the repository and runs the course from it.
dist: $(STAMP)
	rm -rf dist
	$(BIN)/uv build --out-dir dist
	$(BIN)/twine check --strict dist/*

typecheck: $(STAMP)
	$(BIN)/python -m mypy

lint: $(STAMP)
	$(BIN)/ruff check --fix .

# Every table, and the same tables in docs/benchmarks.md (about an hour on 2 cores: notebooks, the stall trial
# under load and `check` on 5,000,000 rows are long). One suite: .venv/bin/python benchmarks/run.py integrity
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --markdown docs/benchmarks.md

present: $(STAMP)
	$(BIN)/lifecycle-kit present $(NB)

present-ru: $(STAMP)
	$(BIN)/lifecycle-kit present $(NB) --lang ru

# Translations (lifecycle_kit/i18n.py): extract every _()/ngettext() phrase with Babel, merge the new ones
# into each language's .po (a translator fills them in), and compile the .mo files the package ships.
# tests/test_i18n.py fails while a phrase is untranslated or a .mo is older than its .po.
I18N_KEYWORDS := -k _ -k gettext -k ngettext:1,2 -k pgettext:1c,2 -k N_
i18n: $(STAMP)
	@mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg $(I18N_KEYWORDS) -c "Translators:" --no-wrap --sort-by-file \
		--no-location --project lifecycle-kit -o build/lifecycle_kit.pot .
	$(BIN)/pybabel update -i build/lifecycle_kit.pot -d lifecycle_kit/locale -D lifecycle_kit \
		--no-wrap --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile -d lifecycle_kit/locale -D lifecycle_kit --statistics

doctor: $(STAMP)
	$(BIN)/lifecycle-kit doctor

clean:
	rm -rf $(VENV) .pytest_cache tests/artifacts build dist *.egg-info
