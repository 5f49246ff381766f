"""`make bench`: how fast the directory answers, measured on a large synthetic dataset.

Builds a separate database (DATABASE_URL, default an SQLite file in /tmp) holding N
synthetic relationships between 1,000 US cities and N/1,000 Japanese municipalities, then
times, through the real views:

- a CSV export of every relationship, and its peak Python memory (tracemalloc), at two
  sizes, to show that memory does not grow with the row count;
- an Excel export;
- a list page with its facets, and a search, with their query counts.

Prints a Markdown table to paste into docs/benchmarks.md. Timings vary by machine; the
query counts and the memory trend are what should hold.
"""

import argparse
import datetime
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/partnerships-bench.sqlite3")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
os.environ.setdefault("DJANGO_COMMAND", "1")  # building 100,000 rows is not a page: no statement timeout

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from partnerships.models import Partner, Relationship, Source  # noqa: E402

settings.DEBUG = False  # debug mode keeps every query in memory
settings.ALLOWED_HOSTS = ["*"]
US_CITIES = 1000


def populate(count):
    """`count` relationships, each citing one source, on a freshly migrated database."""
    call_command("flush", interactive=False, verbosity=0)
    source = Source.objects.create(slug="bench", title="Synthetic benchmark data", kind="dataset")
    with transaction.atomic():
        state = Partner.objects.create(
            name="Washington", slug="washington", kind="us_state", country="US", iso_code="US-WA",
            latitude=47.4, longitude=-120.5,
        )  # fmt: skip
        prefecture = Partner.objects.create(
            name="Hyogo", name_ja="兵庫県", slug="hyogo-prefecture", kind="jp_prefecture", country="JP",
            iso_code="JP-28", latitude=34.69, longitude=135.18,
        )  # fmt: skip
        us = Partner.objects.bulk_create(
            Partner(name=f"Town {n}", slug=f"town-{n}-wa", kind="us_city", country="US", parent=state,
                    latitude=47.0, longitude=-122.0, search_text=f"|town {n}|/washington/")
            for n in range(US_CITIES)
        )  # fmt: skip
        jp = Partner.objects.bulk_create(
            Partner(name=f"Machi {n}", name_ja=f"町{n}", slug=f"machi-{n}", kind="jp_municipality", country="JP",
                    parent=prefecture, latitude=34.7, longitude=135.2, local_gov_code=f"{280000 + n:06d}",
                    search_text=f"|machi {n}|町{n}|/hyogo/兵庫県/")
            for n in range(count // US_CITIES)
        )  # fmt: skip
        # Dated across seven decades, a tenth of them undated, like the real data's spread.
        links = Relationship.objects.bulk_create(
            Relationship(
                us_partner=u, jp_partner=j, kind="sister_city",
                established=None if n % 10 == 0 else datetime.date(1950 + n % 70, 1, 1),
                established_precision="" if n % 10 == 0 else "year",
            )
            for n, (j, u) in enumerate((j, u) for j in jp for u in us)
        )  # fmt: skip
        Relationship.sources.through.objects.bulk_create(
            Relationship.sources.through(relationship=link, source=source) for link in links
        )
        Relationship.objects.refresh_derived()  # bulk writes skip save(): the derived columns, as the loader does


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    chunks = response.streaming_content if response.streaming else [response.content]
    return sum(len(chunk) for chunk in chunks)


def measure_download(client, url):
    """Time without tracing (tracemalloc slows Python down), then peak memory with it."""
    started = time.perf_counter()
    size = download(client, url)
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    download(client, url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 2**20, size / 2**20


PAGES = [
    "/relationships/",
    "/relationships/?state=WA&prefecture=28&decade=1950",
    "/relationships/?q=town+5",
    "/partners/?q=machi",
    "/partners/?q=町1",
    "/search/?q=town",
]


def measure_page(client, url, repeat=5):
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    started = time.perf_counter()
    for _ in range(repeat):
        assert client.get(url).status_code == 200
    return (time.perf_counter() - started) / repeat, len(executed)


def rss_mib():
    """This process's resident memory, as a server worker would see its own."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


BOUNDED = [
    ("/map/", "map"),
    ("/partners/washington/", "a state's page"),
    ("/partners/machi-1/", "a municipality's page"),
]


def measure_bounds(client, rows):
    """The pages that list or draw everything: time, size and memory at `rows` relationships."""
    lines = ["", f"Pages that could grow with the data, at {rows:,} relationships:", "",
             "| page | time (s) | size (KiB) | peak memory (MiB) |", "|---|---:|---:|---:|"]  # fmt: skip
    for url, what in BOUNDED:
        elapsed, peak, size = measure_download(client, url)
        lines.append(f"| {what} (`{url}`) | {elapsed:.2f} | {size * 1024:.0f} | {peak:.1f} |")
    return lines


def measure_loading():
    """`load_directory` on the bundled data: its queries and time."""
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        call_command("load_directory", verbosity=0)
    return time.perf_counter() - started, len(executed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--populate-only",
        action="store_true",
        help="Fill the database with --rows relationships and stop (for gunicorn).",
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if args.populate_only:
        populate(args.rows)
        return
    client = Client()
    lines = [f"Database: {connection.vendor}", "", "| measurement | rows | time (s) | peak memory (MiB) | size (MiB) |",
             "|---|---:|---:|---:|---:|"]  # fmt: skip
    for rows in (args.rows // 10, args.rows):
        populate(rows)
        elapsed, peak, size = measure_download(client, "/relationships/?format=csv")
        lines.append(f"| CSV export | {rows:,} | {elapsed:.2f} | {peak:.1f} | {size:.1f} |")
    started_rss = rss_mib()
    elapsed, peak, size = measure_download(client, "/relationships/?format=xlsx")
    lines.append(
        f"| Excel export (stops after XLSX_TIME_BUDGET s) | {args.rows:,} | {elapsed:.2f} | {peak:.1f} | {size:.1f} |"
    )
    elapsed, peak, size = measure_download(client, "/relationships/?format=json&page_size=500")
    lines.append(f"| JSON page of 500 | {args.rows:,} | {elapsed:.2f} | {peak:.1f} | {size:.1f} |")
    lines += ["", f"Pages over {args.rows:,} relationships (mean of 5):", "",
              "| page | time (ms) | SQL queries |", "|---|---:|---:|"]  # fmt: skip
    for url in PAGES:
        elapsed, queries = measure_page(client, url)
        lines.append(f"| `{url}` | {elapsed * 1000:.0f} | {queries} |")
    lines += measure_bounds(client, args.rows)
    lines += ["", f"Resident memory of this process: {started_rss:.0f} MiB before the Excel export and "
              f"the pages above, {rss_mib():.0f} MiB after."]  # fmt: skip
    elapsed, queries = measure_loading()
    lines += ["", f"`load_directory` of the bundled data: {queries} queries, {elapsed:.2f} s."]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
