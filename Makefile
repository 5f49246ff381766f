# Two commands for a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SOURCES ?= ../shared/data/sources

# `make run` is local development: debug on, embedded SQLite unless DATABASE_URL is set.
DEV := DJANGO_DEBUG=1

.PHONY: run test install lint migrations-check pytest browser serve fixtures data-quality lock bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

run: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_directory
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install lint migrations-check pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: install
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

pytest: install
	$(DEV) $(BIN)/pytest -m "not browser"

# Production-like: gunicorn, debug off. Needs SECRET_KEY and ALLOWED_HOSTS (see README).
serve: install
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn directory.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

# Rebuild fixtures/ from the raw sources (needs ../shared/data/sources).
fixtures: install
	$(BIN)/pip install --quiet -r requirements-build.lock
	$(BIN)/python scripts/build_fixtures.py --sources $(SOURCES) --out fixtures

data-quality: install
	$(DEV) $(BIN)/python manage.py data_quality

# Re-pin exact versions after changing pyproject.toml.
lock: install
	$(BIN)/pip-compile -q --extra dev --strip-extras --no-emit-index-url --no-emit-find-links --no-header -o requirements.lock pyproject.toml
	$(BIN)/pip-compile -q --extra build --strip-extras --no-emit-index-url --no-emit-find-links --no-header -o requirements-build.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# Speed on 100,000 synthetic relationships (a separate database; see docs/benchmarks.md).
bench: install
	$(BIN)/python scripts/bench.py
