# Forkom KPM portal. Quick start: `make run`, then `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# The development site: DEBUG on, SQLite file unless DATABASE_URL says otherwise. Emails sent
# outside a request (the demo's, the worker's) link to the address it is served on.
DEV_ENV := DEBUG=true FORKOM_SITE_URL=$${FORKOM_SITE_URL:-http://$(HOST):$(PORT)}

.PHONY: run test serve lint typecheck migrations-check check format messages bench-import bench bench-http bench-plans bench-stock bench-announcements bench-mail clean

$(VENV)/.created:
	@python=$$(scripts/find-python) || exit 1; \
	echo "Using $$python"; \
	"$$python" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

# Reinstall only when the dependency list changes, so a second `make run` starts fast.
# pip compiles what it installs one file after another (about 25 s of a fresh install);
# compileall does the same on every core, and skips the files compiled already. As with pip,
# a file that does not compile (a package's sample of old syntax) is left to the source.
COMPILE := $(PY) -m compileall -q -j 0 $(VENV)/lib >/dev/null || true
$(VENV)/.installed: pyproject.toml $(VENV)/.created
	$(PY) -m pip install --quiet --no-compile -e .
	$(COMPILE)
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet --no-compile -e '.[test]'
	$(COMPILE)
	@touch $@

# The real territory of Kota Bontang (its 20 regions), read from the reference data beside the
# repository (../shared/data), of which the repository keeps no copy.
BONTANG_REGIONS ?= ../shared/data/bontang_kemendagri.csv
run: $(VENV)/.installed
	@test -f "$(BONTANG_REGIONS)" || { echo "error: Kota Bontang's region table is not at" \
		"$(BONTANG_REGIONS) (../shared/data beside the repository); give its place with" \
		"make run BONTANG_REGIONS=/path/to/bontang_kemendagri.csv" >&2; exit 1; }
	$(DEV_ENV) $(MANAGE) migrate --noinput
	$(DEV_ENV) $(MANAGE) createcachetable
	$(DEV_ENV) $(MANAGE) import_regions "$(BONTANG_REGIONS)" --within 64.74
	$(DEV_ENV) $(MANAGE) create_demo_accounts
	$(DEV_ENV) $(MANAGE) create_demo_cadres
	$(DEV_ENV) $(MANAGE) create_demo_trainings
	$(DEV_ENV) $(MANAGE) create_demo_programmes
	$(DEV_ENV) $(MANAGE) create_demo_communication
	@# The task worker (emails, reminders) runs beside the development server and stops with it.
	@trap 'kill 0' EXIT; \
	$(DEV_ENV) $(MANAGE) db_worker --interval 1 & \
	$(DEV_ENV) $(MANAGE) runserver $(HOST):$(PORT)

# Lighthouse for tests/browser/test_lighthouse.py, at the version its lock file pins, from the
# npm registry. Without npm the test says why and is skipped, except under CI=true.
LIGHTHOUSE := tests/browser/lighthouse
$(LIGHTHOUSE)/node_modules/.installed: $(LIGHTHOUSE)/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix $(LIGHTHOUSE) --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the Lighthouse test will not run (apt-get install npm)"; \
	fi

# The whole suite runs in TEST_WORKERS processes (pytest-xdist), each on a test database of
# its own: two, one per core of the machines here. Not more: PostgreSQL allows 100
# connections and a concurrency test opens 41. xdist's `load` scheduling hands each worker
# its tests in collection order, so the browser tests stay last in every worker
# (tests/browser/conftest.py). The tests marked `alone` measure a speed or a score: they run
# afterwards, with the cores to themselves. The parallel part ends with its 15 slowest
# tests, so that a run that took long says where. With PYTEST_ARGS, pytest runs just those
# arguments in one process (add `-n 2` to split them).
TEST_WORKERS ?= $(shell [ "$$(nproc)" -ge 2 ] && echo 2 || echo 1)
# Tests left out by marker expression, as in TEST_LEAVE_OUT="postgresql or lighthouse": CI's
# SQLite pass (.ci/run) leaves out the PostgreSQL-only tests, which its PostgreSQL pass runs
# and which fail under CI=true anywhere else, the Lighthouse scores, which its PostgreSQL
# pass took of the same pages, the browser journeys but the `smoke` ones, and the fuzz,
# which its PostgreSQL pass sent to the stricter database.
TEST_LEAVE_OUT ?=
LEFT_OUT := $(if $(strip $(TEST_LEAVE_OUT)), and not ($(TEST_LEAVE_OUT)))
test: $(VENV)/.installed-test $(LIGHTHOUSE)/node_modules/.installed
	DEBUG=true $(MANAGE) collectstatic --noinput --verbosity 0
ifeq ($(strip $(PYTEST_ARGS)),)
	DEBUG=true $(BIN)/pytest --numprocesses $(TEST_WORKERS) --dist load -m "not alone$(LEFT_OUT)" \
		--durations 15
	@# pytest's status 5 says no test was selected: CI's SQLite pass leaves out all of them.
	DEBUG=true $(BIN)/pytest -m "alone$(LEFT_OUT)" || [ $$? -eq 5 ]
else
	DEBUG=true $(BIN)/pytest $(PYTEST_ARGS)
endif

# Production-like serving: gunicorn, one sync worker per core, static files by whitenoise.
serve: $(VENV)/.installed
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(BIN)/gunicorn forkom.wsgi --config forkom/gunicorn_config.py --bind $(HOST):$(PORT) --workers $$(nproc)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/mypy

# The typed modules (the core, the services and the selectors) with django-stubs.
typecheck: $(VENV)/.installed-test
	DEBUG=true $(BIN)/mypy

migrations-check: $(VENV)/.installed-test
	DEBUG=true $(MANAGE) makemigrations --check --dry-run

# What CI runs after setting up the machine (.ci/run): the tests, migrations, lint and types.
# Set DATABASE_URL to run the tests on PostgreSQL as CI does.
check: test migrations-check lint

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the Indonesian catalogue after changing user-visible strings (needs gettext).
messages: $(VENV)/.installed-test
	DEBUG=true $(MANAGE) makemessages --locale id --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'bench/*' --no-obsolete
	$(PY) scripts/glossary.py
	DEBUG=true $(MANAGE) compilemessages --locale id --ignore '.venv/*'

# Times the import of the national region table (../shared/data) on SQLite and PostgreSQL.
bench-import: $(VENV)/.installed
	$(PY) bench/import_regions.py $(BENCH_ARGS)

# Every GET page of the site and the admin (bench/pages.py), each as its persona, timed in
# process at national scale on PostgreSQL: BENCH_DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/forkom_scale), seeded with manage.py seed_scale on the
# first run (about two minutes). About five minutes; one part: BENCH_ARGS="--only cadres:".
bench: $(VENV)/.installed
	$(PY) bench/dashboards.py $(BENCH_ARGS)

# Requests per second of a few representative pages under load through gunicorn (2 sync
# workers, as `make serve`) with wrk (apt-get install wrk; else Python threads), same database.
bench-http: $(VENV)/.installed
	$(PY) bench/pages_http.py $(BENCH_ARGS)

# The statements kept and prepared per connection (forkom.statements) that the pages run,
# each timed with the plan PostgreSQL keeps after five runs and with one made for its
# values: exit 1 when a kept plan is the slower (bench/generic_plans.py). Same database,
# seeded by make bench; under a minute.
bench-plans: $(VENV)/.installed
	$(PY) bench/generic_plans.py $(BENCH_ARGS)

# The same ratios for stock Django (a startproject with one model and its admin) on this
# machine: what the framework asks before any page of ours. Under a minute; makes and drops
# its own database, BENCH_STOCK_DATABASE_URL (default .../forkom_bench_stock).
bench-stock: $(VENV)/.installed
	$(PY) bench/stock_django.py $(BENCH_ARGS)

# An announcement to all of Kalimantan Timur on the same database: the publishing request,
# the delivery to every inbox, the inbox page against the signed-in floor.
bench-announcements: $(VENV)/.installed
	$(PY) bench/announcements.py $(BENCH_ARGS)

# A 60 s mail outage under load, then the drain of 10,000 queued emails by 1 and 2 workers
# (docs/performance.md): manage.py bench_mail, about 9 minutes. It makes a database of its own
# on BENCH_MAIL_DATABASE_URL's PostgreSQL server and drops it at the end (the database named
# there is not touched unless its name starts with forkom_bench_mail: then it is used as it
# is and kept). A short run: make bench-mail BENCH_ARGS="--outage-seconds 10 --emails 1000".
BENCH_MAIL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
bench-mail: $(VENV)/.installed
	DEBUG=true $(MANAGE) collectstatic --noinput --verbosity 0
	DEBUG=true DATABASE_URL=$(BENCH_MAIL_DATABASE_URL) $(MANAGE) bench_mail $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
