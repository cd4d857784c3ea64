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

bench: install-test
	$(BIN)/python -m bench.accuracy
	$(BIN)/python -m bench.parse_bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
