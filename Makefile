# The README's two commands are `make run` and `make test`; the rest are helpers.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/goodpractice
# The suite runs the production settings over plain HTTP, as the test client speaks it; the HTTPS
# settings are tested on their own (tests/test_production_settings.py).
TEST_ENV := SECRET_KEY=test-only-not-secret DEBUG=0 HTTPS=off

.PHONY: install run serve backup restore test test-sqlite test-postgres lint migrations-check \
	benchmark benchmark-compare benchmark-open-data benchmark-import worker rebuild-search clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

## Run the site with the seed content on SQLite at http://127.0.0.1:8000, and the background
## worker (imports, search refreshes) beside it; both stop together.
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_initial_data
	DEBUG=1 $(PY) manage.py create_demo_users
	DEBUG=1 $(PY) manage.py db_worker --no-reload & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## The production stack, locally: PostgreSQL from DATABASE_URL (default: PG_URL), migrations,
## static files, gunicorn at BIND (127.0.0.1:8000) and the background worker (db_worker).
## HTTPS=off for a plain-HTTP trial without TLS.
# SECRET_KEY comes from the environment; without one a throw-away key is made for this run (signed
# cookies then end with the process).
SERVE_DATABASE_URL = $(or $(DATABASE_URL),$(PG_URL))
serve: install
	DATABASE_URL=$(SERVE_DATABASE_URL) $(PY) manage.py migrate --noinput
	DATABASE_URL=$(SERVE_DATABASE_URL) $(PY) manage.py collectstatic --noinput --verbosity 0
	DATABASE_URL=$(SERVE_DATABASE_URL) $(PY) manage.py db_worker --no-reload & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		DATABASE_URL=$(SERVE_DATABASE_URL) \
		SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))")} \
		ALLOWED_HOSTS=$${ALLOWED_HOSTS:-localhost,127.0.0.1} \
		$(VENV)/bin/gunicorn --config gunicorn.conf.py config.wsgi

## Back up the database (DATABASE_URL; SQLite db.sqlite3 without) to BACKUP (default backups/...)
BACKUP ?= backups/goodpractice-$(shell date +%Y%m%d-%H%M%S).backup
backup: install
	$(PY) manage.py backup_database $(BACKUP)

## Restore BACKUP into the database (DATABASE_URL), replacing its content; asks first
restore: install
	@test -f "$(BACKUP)" || { echo "Give the file: make restore BACKUP=backups/....backup" >&2; exit 1; }
	$(PY) manage.py restore_database $(BACKUP)

## Lint, check migrations, run the whole suite on SQLite and on PostgreSQL
test: install lint migrations-check test-sqlite test-postgres

lint: install
	$(PY) -m ruff check .

migrations-check: install
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

# Browser tests (Playwright + Debian's Chromium) run in a session of their own: see tests/browser.
test-sqlite: install
	$(TEST_ENV) DATABASE_URL= $(PY) -m pytest -m "not browser" $(PYTEST_ARGS)
	$(TEST_ENV) DATABASE_URL= $(PY) -m pytest -m browser $(PYTEST_ARGS)

# With CI=true a PostgreSQL that cannot be reached fails the run; elsewhere it is skipped with a note.
test-postgres: install
	@if $(PY) -c "import psycopg2, sys; psycopg2.connect('$(PG_URL)'.rsplit('/', 1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		$(TEST_ENV) DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not browser" $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(PG_URL) is not reachable, and CI=true: failing." >&2; exit 1; \
	else \
		echo "PostgreSQL at $(PG_URL) is not reachable: skipped the PostgreSQL run."; \
	fi

# Plain HTTP, as Django's test client speaks it (the HTTPS redirect would answer every request).
BENCH_ENV := DEBUG=0 SECRET_KEY=benchmark HTTPS=off
SIZES ?= 5000,100000
# KEEPDB=1 keeps the benchmark databases and reuses them, rather than generate the practices again.
BENCH_ARGS = --sizes $(SIZES) $(if $(KEEPDB),--keepdb)
OLD_COMMIT ?= 86aadd9
OLD_TREE ?= /tmp/old-engine
BENCH_OUT ?= /tmp/benchmark-search

## Benchmark search on PostgreSQL (see the command's docstring); SIZES=5000,100000 KEEPDB=1
benchmark: install
	$(BENCH_ENV) DATABASE_URL=$(PG_URL)_bench $(PY) manage.py benchmark_search $(BENCH_ARGS) \
		--json $(BENCH_OUT)-new.json

## The same benchmark on the old in-memory engine (OLD_COMMIT, in a worktree at OLD_TREE), then
## this code's, each in a database of its own, and the two side by side.
# The old commit has the same dependencies, and this venv's editable install maps no package to
# this tree (`packages = []`), so its Python runs the old tree's code from there.
benchmark-compare: install
	test -d $(OLD_TREE) || git worktree add --detach $(OLD_TREE) $(OLD_COMMIT)
	cp search/management/commands/benchmark_search.py \
		$(OLD_TREE)/practices/management/commands/benchmark_search.py
	cd $(OLD_TREE) && $(BENCH_ENV) DATABASE_URL=$(PG_URL)_bench_old $(abspath $(PY)) manage.py \
		benchmark_search $(BENCH_ARGS) --json $(BENCH_OUT)-old.json
	$(BENCH_ENV) DATABASE_URL=$(PG_URL)_bench $(PY) manage.py benchmark_search $(BENCH_ARGS) \
		--json $(BENCH_OUT)-new.json
	$(PY) manage.py benchmark_search --compare $(BENCH_OUT)-old.json $(BENCH_OUT)-new.json

## Benchmark the API beside the search page, and CSV downloads (first byte, memory); PostgreSQL
benchmark-open-data: install
	$(BENCH_ENV) DATABASE_URL=$(PG_URL)_bench_opendata $(PY) manage.py benchmark_open_data \
		--sizes $(SIZES) $(if $(KEEPDB),--keepdb) --json $(BENCH_OUT)-open-data.json

IMPORT_ROWS ?= 5500
IMPORT_OLD_COMMIT ?= 0c0c283
IMPORT_OLD_TREE ?= /tmp/p18-old
IMPORT_BENCH_OUT ?= /tmp/benchmark-import

## Time a dry run and an import of IMPORT_ROWS practices generated from the seed on PostgreSQL,
## for the code before set-based imports (IMPORT_OLD_COMMIT, in a worktree at IMPORT_OLD_TREE)
## and for this code, each in a throw-away database of its own, then side by side.
benchmark-import: install
	test -d $(IMPORT_OLD_TREE) || git worktree add --detach $(IMPORT_OLD_TREE) $(IMPORT_OLD_COMMIT)
	cp practices/management/commands/benchmark_import.py \
		$(IMPORT_OLD_TREE)/practices/management/commands/benchmark_import.py
	cd $(IMPORT_OLD_TREE) && $(BENCH_ENV) DATABASE_URL=$(PG_URL)_import_old $(abspath $(PY)) \
		manage.py benchmark_import --rows $(IMPORT_ROWS) --json $(IMPORT_BENCH_OUT)-old.json
	$(BENCH_ENV) DATABASE_URL=$(PG_URL)_import $(PY) manage.py benchmark_import \
		--rows $(IMPORT_ROWS) --json $(IMPORT_BENCH_OUT)-new.json
	$(PY) manage.py benchmark_import --compare $(IMPORT_BENCH_OUT)-old.json \
		$(IMPORT_BENCH_OUT)-new.json

## The background worker alone (a process of its own in production): DATABASE_URL as the site's.
worker: install
	$(PY) manage.py db_worker --no-reload

rebuild-search: install
	DEBUG=1 $(PY) manage.py rebuild_search_index

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
