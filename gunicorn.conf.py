"""gunicorn's settings for the directory (`gunicorn -c gunicorn.conf.py directory.wsgi`, as `make
serve` runs it). See docs/deployment.md for the whole topology. Each can be set from the
environment."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Processes × threads: threads let a worker go on serving pages while another thread streams a
# long download; 2 × cores + 1 processes is gunicorn's own rule of thumb. Pages are Python-bound, so
# more threads only contend for the interpreter: 2 a process served the most pages a second
# (docs/benchmarks.md: 5 × 2 against 4 × 4 on 2 cores).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A request may take this long: a 100,000-row CSV streams in about 8 s, an Excel file stops at
# XLSX_TIME_BUDGET (15 s); the database gives up on a statement after DB_STATEMENT_TIMEOUT (20 s).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that no slow leak can grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# Behind a load balancer: trust its X-Forwarded-* headers (see TRUSTED_PROXY_COUNT in settings).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
