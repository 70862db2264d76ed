# Two commands on a fresh machine with Python 3.11+ and make:
#   make serve   set up, build the example site and serve it on http://127.0.0.1:8000
#   make test    set up (with browser and validator tools) and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
BASE_URL ?=
BASE_URL_FLAG := $(if $(BASE_URL),--base-url "$(BASE_URL)",)

.PHONY: serve build check test test-tools schemas clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/python build.py serve --host $(HOST) --port $(PORT) $(BASE_URL_FLAG)

build: $(STAMP)
	$(BIN)/python build.py build $(BASE_URL_FLAG)

check: $(STAMP)
	$(BIN)/python build.py check

test-tools: $(STAMP)
	bash scripts/install-test-tools.sh

test: test-tools
	$(BIN)/python -m pytest

schemas: $(STAMP)
	$(BIN)/python -m explainer.schema schemas

clean:
	rm -rf site .pytest_cache test-artifacts
