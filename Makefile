# The two set-up commands (see README): `make book` and `make test`.
# Both create the virtual environment .venv on first use; versions live in pyproject.toml.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: book test release clean

$(BIN)/course: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e ".[course]"
	touch $@

book: $(BIN)/course
	$(BIN)/course build

test: $(BIN)/course
	$(BIN)/python -m pytest

release: $(BIN)/course
	$(BIN)/course release

clean:
	rm -rf _build
