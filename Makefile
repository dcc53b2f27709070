# Two commands on a fresh machine with Python 3.11 and pip:
#   make demo   install everything into .venv and run the demo on the bundled sample corpus
#   make test   install everything into .venv (and headless Chromium for the browser tests) and run the whole
#               test suite, after auditing the pinned dependencies for known vulnerabilities (make audit)
# Every install is hash-checked: each line of the requirements*.lock files carries the sha256 of every file PyPI
# publishes for that version (written by tools/lock), and pip refuses anything else. make lock re-pins and re-hashes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install browser audit lock clean

$(BIN)/bilat: requirements-pip.lock requirements.lock requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-pip.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

install: $(BIN)/bilat

demo: install
	$(BIN)/bilat demo

browser:
	tools/install-browser

test: install browser audit
	$(BIN)/python -m pytest

# Known vulnerabilities of the pinned versions, from PyPI's advisories; accepted ones are in .ci/audit-ignore.
audit:
	$(PYTHON) tools/audit

# Re-resolve the runtime pins from pyproject.toml (newest versions), then hash every lock from PyPI.
# The test and installer pins are edited by hand; `$(PYTHON) tools/lock FILE` re-hashes one lock after an edit.
lock:
	rm -rf /tmp/bilat-lock && $(PYTHON) -m venv /tmp/bilat-lock
	/tmp/bilat-lock/bin/pip install --quiet .
	/tmp/bilat-lock/bin/pip freeze --exclude bilat > /tmp/bilat-lock/pins.txt
	$(PYTHON) tools/lock requirements.lock /tmp/bilat-lock/pins.txt
	$(PYTHON) tools/lock requirements-dev.lock
	$(PYTHON) tools/lock requirements-pip.lock

clean:
	rm -rf $(VENV) bilat.duckdb
