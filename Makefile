# shorttrack: `make demo` serves a realistic season at http://127.0.0.1:8000
# (`make demo PORT=8123` on another port), `make test` runs the whole suite on SQLite and
# on PostgreSQL.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/shorttrack
LOCK_OPTIONS := --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
DEMO_DB := var/demo.sqlite3
PORT ?= 8000
# The demo marks itself as such: a secret key labelled demo-only, demo officials' accounts.
DEMO_ENV := SHORTTRACK_DEMO=1 DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB)
# Real results are read where they are kept, beside the clone, never copied into it.
DATA_2022_23 ?= ../shared/data/worldcup-2022-23

.PHONY: demo test test-sqlite test-postgres lint lock bench clean test-deploy

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# What is installed comes from the lock files, every file checked against its hash;
# `make lock` writes them again from pyproject.toml's ranges.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml requirements-test.lock $(VENV)/.installed
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.lock
	touch $@

## lock: after changing the dependencies in pyproject.toml, pin them again (with hashes)
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra test $(LOCK_OPTIONS) --output-file requirements-test.lock pyproject.toml
	$(BIN)/pip-compile --quiet -c requirements-test.lock $(LOCK_OPTIONS) --output-file requirements.lock pyproject.toml

## demo: build an SQLite database with a simulated 2025/26 (and the real 2022/23 where it is), serve it
demo: $(VENV)/.installed
	mkdir -p $(dir $(DEMO_DB))
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@test -f $(DATA_2022_23)/results.csv || echo "note: no real 2022/23 results at $(DATA_2022_23): the demo holds the simulated 2025/26 season only"
	$(DEMO_ENV) $(BIN)/shorttrack setup-demo $(if $(wildcard $(DATA_2022_23)/results.csv),--data $(DATA_2022_23)) --url http://127.0.0.1:$(PORT)
	@echo "Serving the demo at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(DEMO_ENV) $(BIN)/uvicorn shorttrack.asgi:application --host 127.0.0.1 --port $(PORT)

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

## test-deploy: the production topology of docs/deploy.md for real: nginx (TLS), two app processes, PostgreSQL, Redis, chromium (needs: apt-get install nginx chromium openssl postgresql-client)
test-deploy: $(VENV)/.test-installed
	$(BIN)/pytest -q -m topology tests/deploy
