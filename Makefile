# The two set-up commands (see README): `make book` and `make test`.
# Both create the virtual environment .venv on first use; versions live in pyproject.toml.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: book test release clean system-packages

$(BIN)/course: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "): make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e ".[course]"
	touch $@

book: $(BIN)/course
	$(BIN)/course build

# System packages the tests use (Chromium, CJK fonts, PostgreSQL): installed when missing (as root).
system-packages:
	scripts/system-packages

test: $(BIN)/course system-packages
	$(BIN)/python -m pytest

release: $(BIN)/course
	$(BIN)/course release

clean:
	rm -rf _build
