#!/usr/bin/env bash
# `make bench`, part two: the questions of scripts/load.py through gunicorn (gunicorn.conf.py,
# production settings: debug off, static files from the manifest), uncached (PAGE_CACHE=0) and
# cached, on the database in DATABASE_URL (the real data unless it is the bench database).
# Prints Markdown tables for docs/benchmarks.md. Installs wrk (Debian) when it can.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8765}
LABEL=${LABEL:-${DATABASE_URL:-the default SQLite database}}
if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get install -y -qq wrk >/dev/null 2>&1 || echo "wrk could not be installed: the load tool uses Python threads"
fi
export SECRET_KEY=${SECRET_KEY:-bench-only-not-secret} ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 DJANGO_DEBUG=
.venv/bin/python manage.py collectstatic --noinput -v0
for cache in 0 1; do
  PAGE_CACHE=$cache BIND=127.0.0.1:$PORT \
    .venv/bin/gunicorn -c gunicorn.conf.py directory.wsgi --access-logfile /dev/null >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  .venv/bin/python scripts/load.py "http://127.0.0.1:$PORT" --seconds "${SECONDS_EACH:-6}" \
    --label "$LABEL, $([ "$cache" = 1 ] && echo cached || echo uncached)"
  kill "$server"; wait "$server" 2>/dev/null || true
done

# Side by side: Datasette serving a flat copy of the same relationships (scripts/datasette_copy.py),
# asked the same questions, when it can be installed (in its own environment, build/datasette).
if [ "${DATASETTE:-1}" = 1 ]; then
  if [ ! -x build/datasette/bin/datasette ]; then
    python3 -m venv build/datasette && build/datasette/bin/pip install --quiet datasette \
      || { echo "Datasette could not be installed: no side-by-side figures"; exit 0; }
  fi
  copy=build/datasette/relationships.sqlite3
  .venv/bin/python scripts/datasette_copy.py "$copy" >/dev/null
  build/datasette/bin/datasette serve "$copy" -p "$PORT" --setting default_page_size 50 \
    --setting sql_time_limit_ms 20000 --setting facet_time_limit_ms 20000 >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/-/versions.json" >/dev/null && break; sleep 0.2; done
  table=/relationships/relationships
  facets="_facet=state&_facet=prefecture&_facet=kind"
  .venv/bin/python scripts/load.py "http://127.0.0.1:$PORT" --seconds "${SECONDS_EACH:-6}" --label "$LABEL, Datasette" \
    --question "list with facets" "$table?$facets" \
    --question "three filters" "$table?state=WA&prefecture=28&decade=1950&$facets" \
    --question "name search" "$table?_search=kobe&$facets" \
    --question "JSON page of 500" "$table.json?_size=500&$facets"
  kill "$server"; wait "$server" 2>/dev/null || true
fi
