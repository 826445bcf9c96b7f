# The two commands of the README: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/regiodag
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1

.PHONY: run test lint bench services browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## Run the application: web + Celery worker + Celery beat, with demo data from the seeds.
## The demo signs in with a password alone (REGIODAG_REQUIRE_2FA=0); production never should.
run: $(VENV)/.installed
	@bash scripts/ensure-services.sh redis || echo "Let op: Redis draait niet; mails wachten tot Redis er is."
	@bash scripts/ensure-fonts.sh
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py ensure_demo_users
	@echo "Regiodag draait op http://127.0.0.1:8000/  (beheer: http://127.0.0.1:8000/beheer/)  — stoppen met Ctrl-C"
	DEBUG=1 REGIODAG_REQUIRE_2FA=0 PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile start

## Run the linters, then the test suite against PostgreSQL and Redis (started if they are down),
## then the tests marked both_databases on SQLite; all must pass.
## CI runs only this target, so the layer contract (.importlinter) is checked here too.
test: $(VENV)/.installed lint
	bash scripts/ensure-services.sh postgres redis
	bash scripts/ensure-browser.sh
	bash scripts/ensure-fonts.sh
	DEBUG=1 DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest $(PYTEST_ARGS)
	@# The second pass: the service, concurrency and mail tests again on SQLite, the demo's
	@# database, in a file (threads, live servers and workers need connections of their own).
	dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	  DEBUG=1 DATABASE_URL=sqlite:///$$dir/regiodag.sqlite3 REDIS_URL=$(TEST_REDIS_URL) \
	  $(BIN)/pytest -m both_databases $(SQLITE_PYTEST_ARGS)

## Ruff, and import-linter's contract that imports point one way (registrations -> workshops -> events -> regiodag).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## Benchmarks (not part of the tests): see bench/README.md.
bench: $(VENV)/.installed
	bash scripts/ensure-services.sh postgres redis
	DEBUG=1 DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python -m bench $(BENCH)

clean:
	rm -rf $(VENV) var/staticfiles
