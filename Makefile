# Two commands do all set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
WORKERS ?= 2

.PHONY: install run test test-fast system-deps translations extract-messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

.stamp-python: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

translations: .stamp-python
	$(BIN)/pybabel compile -d campaign/translations

install: .stamp-python node_modules/.package-lock.json translations

# Debian's Chromium (for Playwright) and PostgreSQL (tests run against it as well as SQLite).
system-deps:
	bash scripts/install-system-deps.sh

run: install
	$(BIN)/campaign demo
	@echo "Serving the Cultuurwijzer on http://$(HOST):$(PORT)/ (fictional demo data)"
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) "campaign:create_app()"

test: install system-deps
	$(BIN)/pytest

# Unit and integration tests only, SQLite only: quick feedback while developing.
test-fast: install
	CAMPAIGN_TEST_DATABASES=sqlite $(BIN)/pytest -m "not e2e"

bench: install system-deps
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/http.py
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/coordinators.py
	$(BIN)/python bench/debates.py
	$(BIN)/python bench/lobby.py

extract-messages: .stamp-python
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k lazy_ngettext:1,2 --add-location=file --sort-output -o campaign/translations/messages.pot campaign templates
	$(BIN)/pybabel update -i campaign/translations/messages.pot -d campaign/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) node_modules .stamp-python .pytest_cache test-results
