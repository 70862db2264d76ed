# Two commands on a fresh machine with Python 3.11+ and make:
#   make serve   set up, build the example site and serve it on http://127.0.0.1:8000
#   make test    set up (with browser and validator tools) and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Exact versions of every package the tests and CI use, transitive ones included (make lock).
LOCK := requirements/test.lock
HOST ?= 127.0.0.1
PORT ?= 8000
BASE_URL ?=
BASE_URL_FLAG := $(if $(BASE_URL),--base-url "$(BASE_URL)",)

.PHONY: serve build check lint test test-tools schemas golden lock clean

# The locked packages first, then Explainer itself without letting pip pick any other version.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==26.3
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Regenerate the lock after changing a pin in pyproject.toml (Python 3.11, Linux x86-64 as in CI).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv==0.13.9
	$(BIN)/python -m uv pip compile pyproject.toml --extra test --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --quiet --output-file $(LOCK)

serve: $(STAMP)
	$(BIN)/python build.py serve --host $(HOST) --port $(PORT) $(BASE_URL_FLAG)

build: $(STAMP)
	$(BIN)/python build.py build $(BASE_URL_FLAG)

check: $(STAMP)
	$(BIN)/python build.py check

test-tools: $(STAMP)
	bash scripts/install-test-tools.sh

# The type and lint gate (settings in pyproject.toml): a new error fails `make test`, and so CI.
lint: $(STAMP)
	$(BIN)/python -m ruff check
	$(BIN)/python -m mypy

test: test-tools lint
	$(BIN)/python -m pytest

# After a deliberate change to the output: rewrite tests/golden/ from tests/projects/golden/.
golden: $(STAMP)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

schemas: $(STAMP)
	$(BIN)/python -m explainer.schema schemas

clean:
	rm -rf site .pytest_cache test-artifacts
