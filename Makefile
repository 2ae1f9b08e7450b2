# Two entry points: `make demo` (install, then set up and serve the demo site) and
# `make test` (install, then every check and test). Everything installs into .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Set to a PostgreSQL URL to run the whole suite a second time against it.
LINERNOTES_TEST_POSTGRES_URL ?=

.PHONY: install demo check test test-sqlite test-postgres browser

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

demo: install
	$(BIN)/linernotes demo $(if $(PORT),--port $(PORT))

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy linernotes tests
	$(BIN)/linernotes makemigrations --check --dry-run
	$(BIN)/linernotes check --fail-level WARNING

browser:
	@sh scripts/ensure-chromium

test: check browser test-sqlite test-postgres

test-sqlite: install
	LINERNOTES_TEST_DATABASE_URL= $(BIN)/pytest

test-postgres: install
	@if [ -n "$(LINERNOTES_TEST_POSTGRES_URL)" ]; then \
	  echo "Running the suite again on PostgreSQL"; \
	  LINERNOTES_TEST_DATABASE_URL="$(LINERNOTES_TEST_POSTGRES_URL)" $(BIN)/pytest -m "not browser"; \
	else \
	  echo "LINERNOTES_TEST_POSTGRES_URL is not set: PostgreSQL run skipped."; \
	fi
