# Two commands on a fresh machine with Python 3.11 and pip:
#   make demo   install everything into .venv and run the demo on the bundled sample corpus
#   make test   install everything into .venv (and headless Chromium for the browser tests) and run the whole
#               test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install browser lock clean

$(BIN)/bilat: requirements.lock requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==24.3.1
	$(BIN)/pip install --quiet -r requirements.lock -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

install: $(BIN)/bilat

demo: install
	$(BIN)/bilat demo

browser:
	tools/install-browser

test: install browser
	$(BIN)/python -m pytest

lock:
	rm -rf /tmp/bilat-lock && $(PYTHON) -m venv /tmp/bilat-lock
	/tmp/bilat-lock/bin/pip install --quiet .
	/tmp/bilat-lock/bin/pip freeze --exclude bilat > requirements.lock

clean:
	rm -rf $(VENV) bilat.duckdb
