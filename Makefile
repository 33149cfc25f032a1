# One gate, identical locally and in CI. Every target creates the venv itself.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
COVERAGE_FLOOR ?= 85

.DEFAULT_GOAL := help
.PHONY: help venv test lint pytest serve bench docs clean format qc browser virtuoso gdal qgis

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11+ is required)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP) ## create .venv and install the project with dev tools

lint: $(STAMP) ## ruff check, ruff format --check, mypy
	$(BIN)/ruff check src api tests benchmarks tools setup.py
	$(BIN)/ruff format --check src api tests benchmarks tools setup.py
	$(BIN)/mypy

format: $(STAMP) ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix src api tests benchmarks tools setup.py
	$(BIN)/ruff format src api tests benchmarks tools setup.py

browser: ## install headless Chromium (Debian) for the docs test, if missing
	@command -v chromium >/dev/null || { command -v apt-get >/dev/null && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null || echo "warning: chromium not installed; the browser test will skip"; }

# RUNLEVEL=1: the package's service is not started (the tests start their own server on free ports).
virtuoso: ## install Virtuoso 7 (Debian's virtuoso-opensource) for the remote-engine tests, if missing
	@command -v virtuoso-t >/dev/null || { command -v apt-get >/dev/null && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends virtuoso-opensource) >/dev/null || echo "warning: virtuoso-t not installed; the virtuoso tests will skip"; }

gdal: ## install GDAL's command-line tools (Debian's gdal-bin: ogrinfo) for the OGC API tests, if missing
	@command -v ogrinfo >/dev/null || { command -v apt-get >/dev/null && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gdal-bin) >/dev/null || echo "warning: ogrinfo not installed; the OGC API client tests will skip"; }

# The system Python's bindings (python3-qgis): QGIS's own OGC API – Features provider, run headless.
qgis: ## install QGIS's Python bindings and providers (Debian's python3-qgis) for the QGIS client test, if missing
	@/usr/bin/python3 -c 'import qgis.core' 2>/dev/null || { command -v apt-get >/dev/null && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-qgis qgis-providers) >/dev/null || echo "warning: QGIS not installed; the QGIS client test will skip"; }

qc: $(STAMP) ## vocabulary lint: QC queries + SKOS/language/shape checks (exit 1 on errors)
	$(BIN)/servicenet lint

docs: $(STAMP) ## generate the HTML vocabulary reference into docs/reference/
	$(BIN)/servicenet docs -o docs/reference

pytest: $(STAMP) browser virtuoso gdal qgis ## run the tests and every docstring example (doctests), with the coverage floor
	$(BIN)/python -m pytest --cov --cov-report=term --cov-fail-under=$(COVERAGE_FLOOR)

test: lint pytest ## the full gate: lint, types, tests with coverage

serve: $(STAMP) ## load vocabulary + examples into the embedded store and serve on 127.0.0.1:8000
	$(BIN)/servicenet serve --host $(HOST) --port $(PORT)

bench: $(STAMP) ## run the benchmarks against their peers (prints figures; see docs/benchmarks.md)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@command -v wrk >/dev/null || { command -v apt-get >/dev/null && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null || echo "warning: wrk not installed; bench_sparql.py falls back to Python client threads"; }
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean: ## remove the venv, store and caches
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache .coverage .coverage.*
