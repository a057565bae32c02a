# shorttrack: `make demo` serves a realistic season at http://127.0.0.1:8000,
# `make test` runs the whole suite on SQLite and on PostgreSQL.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/shorttrack
DEMO_DB := var/demo.sqlite3
DATA_2022_23 ?= data/worldcup-2022-23

.PHONY: demo test test-sqlite test-postgres lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## demo: build an SQLite database with the real 2022/23 season and serve it
demo: $(VENV)/.installed
	rm -f $(DEMO_DB)
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/shorttrack setup-demo --data $(DATA_2022_23)
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/uvicorn shorttrack.asgi:application --host 127.0.0.1 --port 8000

## test: the whole suite, on SQLite then on PostgreSQL (required when CI=true)
test: test-sqlite test-postgres

test-sqlite: $(VENV)/.test-installed
	$(BIN)/pytest -q

test-postgres: $(VENV)/.test-installed
	@if $(BIN)/python -m shorttrack.postgres_check "$(PG_URL)"; then \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "not sqlite_only"; \
	fi

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## bench: the benchmarks of bench/, numbers for docs/performance.md (bench/site.py needs wrk: apt-get install wrk)
bench: $(VENV)/.installed
	$(BIN)/python bench/standings.py
	$(BIN)/python bench/competition.py
	$(BIN)/python bench/facts.py
	$(BIN)/python bench/press_pages.py
	$(BIN)/python bench/site.py

clean:
	rm -rf var .pytest_cache .hypothesis
