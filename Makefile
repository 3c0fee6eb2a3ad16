# remarkit: `make demo` sets up .venv and runs the demo; `make test` runs every check CI runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.remarkit-installed
PIP := $(BIN)/python -m pip

.PHONY: demo test test-fast install lint typecheck unit-tests bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# pyradiomics builds only with numpy and versioneer present and no build isolation
	$(PIP) install --quiet -c constraints.txt numpy versioneer setuptools wheel
	$(PIP) install --quiet -c constraints.txt --no-build-isolation pyradiomics
	$(PIP) install --quiet -c constraints.txt torch==2.13.0
	$(PIP) install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/remarkit demo --out demo-report

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	tools/lint_imports.sh

typecheck: $(STAMP)
	tools/typecheck.sh

unit-tests: $(STAMP)
	PYTHONUTF8=1 $(BIN)/python -m pytest

test: lint typecheck unit-tests

# the quick lane while developing: everything but the tests marked slow (tests/conftest.py)
test-fast: $(STAMP)
	$(BIN)/ruff check .
	PYTHONUTF8=1 $(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) demo-report .remarkit-cache build *.egg-info
