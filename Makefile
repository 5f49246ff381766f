# Two commands for a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SOURCES ?= ../shared/data/sources

# `make run` is local development: debug on, embedded SQLite unless DATABASE_URL is set.
DEV := DJANGO_DEBUG=1

.PHONY: run test install lint migrations-check pytest browser serve fixtures data-quality lock bench clean map-assets backup restore

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
	$(BIN)/lint-imports --no-cache

migrations-check: install
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

pytest: install
	$(DEV) $(BIN)/pytest -m "not browser"

# Production-like: gunicorn, debug off. Needs SECRET_KEY and ALLOWED_HOSTS (see README).
serve: install
	$(BIN)/python manage.py collectstatic --noinput
	BIND=127.0.0.1:$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py directory.wsgi

# Rebuild fixtures/ from the raw sources (needs ../shared/data/sources).
fixtures: install
	$(BIN)/pip install --quiet -r requirements-build.lock
	$(BIN)/python -m databuild --sources $(SOURCES) --out fixtures

# The whole database to backups/ (PostgreSQL: pg_dump -Fc; SQLite: the backup API), and back.
# `make restore` restores the newest backup, or FILE=backups/directory-….dump.
backup: install
	$(DEV) $(BIN)/python manage.py backup $(FILE)

restore: install
	$(DEV) $(BIN)/python manage.py restore $(FILE)

data-quality: install
	$(DEV) $(BIN)/python manage.py data_quality

# Re-pin exact versions after changing pyproject.toml.
lock: install
	$(BIN)/pip-compile -q --extra dev --strip-extras --no-emit-index-url --no-emit-find-links --no-header -o requirements.lock pyproject.toml
	$(BIN)/pip-compile -q --extra build --strip-extras --no-emit-index-url --no-emit-find-links --no-header -o requirements-build.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# Translations: collect the marked strings into locale/ja/LC_MESSAGES/django.po, and after
# translating them there, compile django.mo. Both files are committed, so that `make run`
# serves Japanese without gettext; the tests check that the .mo matches the .po. Needs
# gettext (apt-get install gettext).
.PHONY: messages
I18N_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=build
messages: install
	$(DEV) $(BIN)/python manage.py makemessages -l ja $(I18N_IGNORE)
	$(DEV) $(BIN)/python manage.py compilemessages -l ja $(I18N_IGNORE)

# Speed on 100,000 synthetic relationships (a separate database; see docs/benchmarks.md).
bench: install
	$(BIN)/python scripts/bench.py
	LABEL="the database in DATABASE_URL" scripts/bench_servers.sh

# The map's base outlines (static/map/outlines.json) from npm's us-atlas and world-atlas and
# PyPI's japanmap; see static/map/SOURCES.md. Needs npm. The output is committed.
JAPANMAP := japanmap==0.6.0
map-assets: install
	npm ci --no-audit --no-fund
	mkdir -p build/map-sources
	$(BIN)/pip download --quiet --no-deps --only-binary=:all: --dest build/map-sources $(JAPANMAP)
	$(BIN)/python scripts/build_map_assets.py --japanmap-wheel build/map-sources/japanmap-0.6.0-py3-none-any.whl

# Real-browser tests (Chromium via Playwright, axe-core from node_modules): see tests/browser.
browser: install
	test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund
	$(DEV) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m browser
