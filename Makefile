# incubo-analysis: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test
LAB_STAMP := $(VENV)/.installed-lab
BROWSER_STAMP := $(VENV)/.installed-browser
CHROMIUM ?= /usr/bin/chromium
YEAR ?= 2021
ACTUALS ?= data/raw/actuals/example_actuals.xlsx
QUARTER ?= 2021T4
# make test: xdist workers; --dist loadfile keeps each file (each notebook's cells) on one worker
TEST_JOBS ?= 2
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := help
.PHONY: help install report quarterly check test test-fast notebooks lab bench clean test-browser lint

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-11s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -m pip install --quiet -e '.[test]' 2>&1 | grep -v "is ignored"; test $${PIPESTATUS[0]} -eq 0
	$(BIN)/python -m compileall -q incubo_analysis   # byte-code once: every notebook kernel imports the package
	touch $@

install: $(STAMP) ## create .venv (if absent) and install the suite with its test tools

report: $(STAMP) ## the annual report on the embedded example (reports/2021/)
	$(BIN)/incubo report --year $(YEAR) --actuals $(ACTUALS) --out reports/$(YEAR)

quarterly: $(STAMP) ## the quarterly pack on the example (QUARTER=2021T4 by default) → reports/QUARTER/
	$(BIN)/incubo quarterly --quarter $(QUARTER) --actuals $(ACTUALS) --out reports/$(QUARTER)

check: $(STAMP) ## validate the contract data and print the reconciliation summary
	$(BIN)/incubo check

test: $(STAMP) ## unit tests, doctests, strict nbval of the notebooks, papermill runs of every params file
	$(BIN)/python -m pytest -q -n $(TEST_JOBS) --dist loadfile

test-fast: $(STAMP) ## the inner loop: no kernel (nbval, papermill, report), no other process, no fuzz suite
	$(BIN)/python -m pytest -q -n $(TEST_JOBS) --dist loadfile -m "not kernel and not slow" -p no:nbval \
	    -o addopts="--doctest-modules -p no:cacheprovider --ignore=tests/browser" tests incubo_analysis

lint: $(STAMP) ## ruff check (rules in pyproject.toml)
	$(BIN)/ruff check .

notebooks: $(STAMP) ## re-execute the committed notebooks in place (when a change legitimately moves a figure)
	$(BIN)/python -m tools.notebooks execute-in-place

$(LAB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,lab]' 2>&1 | grep -v "is ignored"; test $${PIPESTATUS[0]} -eq 0
	touch $@

lab: $(LAB_STAMP) ## install the optional [lab] extra and start JupyterLab on the notebooks
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

$(BROWSER_STAMP): $(LAB_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,lab,browser]' 2>&1 | grep -v "is ignored"; test $${PIPESTATUS[0]} -eq 0
	touch $@

# Playwright drives Debian's chromium (never `playwright install`, which downloads a browser).
test-browser: $(BROWSER_STAMP) ## the explorer in JupyterLab, driven by headless Chromium (Playwright)
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "$(CHROMIUM) missing: apt-get install -y chromium"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium || exit 1; \
	  else \
	    echo "$(CHROMIUM) missing: run 'sudo apt-get update && sudo apt-get install -y chromium' (Debian), then make test-browser" >&2; \
	    exit 1; \
	  fi; \
	fi
	INCUBO_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -o addopts="" -p no:cacheprovider --timeout=900 -q tests/browser

bench: $(STAMP) ## run the benchmarks (by hand; figures go in the notes)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean: ## remove generated outputs (reports/, data/processed/*.csv)
	rm -rf reports data/processed/*.csv
