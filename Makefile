# The two commands of the README contract: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Install everything, extract the bundled example corpus and show the result.
demo: $(STAMP)
	@mkdir -p out
	$(BIN)/frontwatch extract examples/corpus --out out/examples.jsonl --summary

## Install what the tests need and run the whole suite.
test: $(STAMP)
	$(BIN)/ruff check frontwatch tests benchmarks
	$(BIN)/mypy frontwatch
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/extract_throughput.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
