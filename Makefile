# Two commands do everything on a fresh machine (Python 3.11+ and make):
#   make run ARGS="nightly"    install into .venv, then run edgar13d (default: the nightly job)
#   make test                  install into .venv with the test tools, then lint and run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
ARGS   ?= nightly

.PHONY: run test install install-test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

run: install
	$(BIN)/edgar13d $(ARGS)

test: install-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The benchmarks run in their own venv, which also holds edgartools for the side-by-side XML
# measurement (edgartools is never a dependency of edgar13d).
BENCH_VENV ?= .bench-venv

$(BENCH_VENV)/bin/python:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip

bench: $(BENCH_VENV)/bin/python
	$(BENCH_VENV)/bin/pip install --quiet -e '.[test]' edgartools
	$(BENCH_VENV)/bin/python -m bench.accuracy
	$(BENCH_VENV)/bin/python -m bench.parse_bench
	$(BENCH_VENV)/bin/python -m bench.crawl_bench
	$(BENCH_VENV)/bin/python -m bench.warehouse_bench
	$(BENCH_VENV)/bin/python -m bench.flow_bench

clean:
	rm -rf $(VENV) $(BENCH_VENV) .pytest_cache .ruff_cache
