# The two commands of the README contract: `make demo` and `make test`. On a fresh Debian machine they do all the
# set-up: missing system packages (tools/system-packages.sh) are installed with apt-get when run as root, else
# named with the exact apt-get line; then the venv (pip) and the browser libraries (npm ci).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NPM ?= npm
# Browser libraries for the web pages (cytoscape, d3-geo, world-atlas...): npm ci from the lock file.
ASSETS := node_modules/.installed

.PHONY: demo test install dist lint bench bench-graph clean train

$(STAMP): pyproject.toml
	@PYTHON=$(PYTHON) sh tools/system-packages.sh python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

$(ASSETS): package.json $(wildcard package-lock.json)
	@sh tools/system-packages.sh npm
	@if [ -f package-lock.json ]; then $(NPM) ci --no-audit --no-fund; else $(NPM) install --no-audit --no-fund; fi
	touch $(ASSETS)

install: $(STAMP) $(ASSETS)

## Install everything, ingest the bundled example corpus into a fresh out/demo.db and serve the workbench.
demo: $(STAMP) $(ASSETS)
	@mkdir -p out
	rm -f out/demo.db out/demo.db-wal out/demo.db-shm
	$(BIN)/frontwatch ingest examples/corpus --db out/demo.db
	$(BIN)/frontwatch serve --db out/demo.db

## Install what the tests need and run the whole suite. PostgreSQL and Chromium are installed when missing
## (as root with apt-get), else named; the tests that need them skip, and -rs lists every skip with its reason.
test: $(STAMP) $(ASSETS)
	@sh tools/system-packages.sh --optional node postgresql chromium
	$(BIN)/ruff check frontwatch tests benchmarks tools/dist.py
	$(BIN)/mypy frontwatch
	$(BIN)/python -m pytest -q -rs

## The wheel in dist/, with the browser libraries copied from node_modules into frontwatch/web/vendor.
dist: $(STAMP) $(ASSETS)
	$(BIN)/python tools/dist.py --out dist

## Retrain the claim model (frontwatch.claims.v2) on training/dev-train; deterministic, a few minutes on 2 cores.
train: $(STAMP)
	$(BIN)/python -m frontwatch.training training/dev-train training/dev-train.jsonl \
		--also training/written training/written.jsonl \
		--out frontwatch/data/claim_model.json.gz --cv 5

bench: $(STAMP)
	$(BIN)/python benchmarks/extract_throughput.py

## Graph explorer in a real browser (Debian's chromium): first render and node expansion at 2,000 nodes.
bench-graph: $(STAMP) $(ASSETS)
	$(BIN)/python benchmarks/graph_render.py

clean:
	rm -rf $(VENV) out node_modules dist build frontwatch/web/vendor test-output .pytest_cache .mypy_cache .ruff_cache
