# The two commands of the README: `make build` and `make test`. Each sets itself up first.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test check serve benchmark render-cards system-deps system-deps-test

build: $(VENV)/.installed system-deps
	$(BIN)/peloton-prep build

test: $(VENV)/.installed-test system-deps-test
	$(BIN)/ruff check src tests solutions benchmarks
	$(BIN)/mypy
	$(BIN)/pytest

check: $(VENV)/.installed
	$(BIN)/peloton-prep check

serve: $(VENV)/.installed system-deps
	$(BIN)/peloton-prep serve

benchmark: $(VENV)/.installed-test system-deps
	$(BIN)/peloton-prep build
	$(BIN)/python benchmarks/run.py

render-cards: $(VENV)/.installed-test system-deps
	$(BIN)/python scripts/render_cards.py

system-deps:
	scripts/system-deps

system-deps-test:
	scripts/system-deps --test

# Packages come only from the lock files, each checked against its hash (scripts/lock updates
# them); the project itself is then installed without resolving anything more.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements-test.lock
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e '.[test]'
	touch $(VENV)/.installed $@
