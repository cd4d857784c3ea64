# Two commands do everything on a fresh machine (Python 3.11+ and make):
#   make run ARGS="nightly"    install into .venv, then run edgar13d (default: the nightly job)
#   make test                  install into .venv with the test tools, then lint and run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
ARGS   ?= nightly

.PHONY: run test install install-test bench clean

# Install only when pyproject.toml changed since the last install (a stamp file in the venv), and
# quietly: pip's and setuptools' chatter goes to a log that is printed only when the install fails.
INSTALLED      = $(VENV)/.installed
INSTALLED_TEST = $(VENV)/.installed-test
QUIET_PIP      = > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }

$(BIN)/python:
	@echo "creating $(VENV)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip $(QUIET_PIP)

$(INSTALLED): pyproject.toml | $(BIN)/python
	@echo "installing edgar13d into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/pip install --quiet -e . $(QUIET_PIP)
	@touch $@

$(INSTALLED_TEST): pyproject.toml | $(BIN)/python
	@echo "installing edgar13d and its test tools into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/pip install --quiet -e '.[test]' $(QUIET_PIP)
	@touch $@ $(INSTALLED)

install: $(INSTALLED)
install-test: $(INSTALLED_TEST)

run: install
	@$(BIN)/edgar13d $(ARGS)

test: install-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The benchmarks run in their own venv, which also holds edgartools for the side-by-side XML
# measurement and selectolax for the HTML parse floor (neither is a dependency of edgar13d).
BENCH_VENV ?= .bench-venv

$(BENCH_VENV)/bin/python:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip

bench: $(BENCH_VENV)/bin/python
	$(BENCH_VENV)/bin/pip install --quiet -e '.[test]' edgartools selectolax
	$(BENCH_VENV)/bin/python -m bench.accuracy
	$(BENCH_VENV)/bin/python -m bench.checks
	$(BENCH_VENV)/bin/python -m bench.parse_bench
	$(BENCH_VENV)/bin/python -m bench.reparse_bench
	$(BENCH_VENV)/bin/python -m bench.crawl_bench
	$(BENCH_VENV)/bin/python -m bench.warehouse_bench
	$(BENCH_VENV)/bin/python -m bench.flow_bench
	$(BENCH_VENV)/bin/python -m bench.hostile_bench
	$(BENCH_VENV)/bin/python -m bench.fuzz

clean:
	rm -rf $(VENV) $(BENCH_VENV) .pytest_cache .ruff_cache
