"""Every public page and export, as bytes, to a folder: the comparison a reorganisation is held
to ("byte-identical before and after, in both languages"). Run it before and after, then
`diff -r BEFORE AFTER`.

It reads the database the settings name (load the bundled data first: `manage.py migrate` and
`manage.py load_directory`), with the page cache off, through Django's test client. What changes
from one request to the next (CSRF tokens, DTSTAMP, Date and Expires) is masked; a fixed hash
seed keeps headers built from sets in one order; a fixed RELEASE keeps ETags from following the code.
Usage: PYTHONHASHSEED=0 RELEASE=snapshot DJANGO_DEBUG=1 PAGE_CACHE_SECONDS=0 python scripts/snapshot.py OUT_FOLDER"""

import os
import re
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402

from partnerships.models import Agreement, Partner, Program, Relationship  # noqa: E402

LISTS = ["relationships/", "partners/", "agreements/", "programs/", "seeking/"]
QUERIES = [
    "",
    "?kind=sister_state",
    "?state=WA&prefecture=28",
    "?decade=1960&sort=-established",
    "?q=kobe",
    "?q=Seatle",
    "?q=神戸",
    "?corroborated=yes&page=2",
    "?page=999",
    "?sort=nonsense&kind=%ZZ",
]
PAGES = [
    "",
    "about/",
    "search/?q=sendai",
    "search/?q=Kobee",
    "changes/",
    "changes/feed/",
    "map/",
    "map/?state=OR",
    "anniversaries/",
    "anniversaries/?year=2028",
    "anniversaries/?year=2028&format=csv",
    "anniversaries.ics",
    "anniversaries.ics?state=WA",
    "statistics/",
    "statistics/?kind=sister_city",
    "report/",
]
FORMATS = ["csv", "json", "xlsx"]
VARYING = [
    (re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+'), rb"\1-"),
    (re.compile(rb"(DTSTAMP:)\w+"), rb"\1-"),
    (re.compile(rb'(name="submission" value=")[^"]+'), rb"\1-"),
]
STAFF = [
    "",
    "partnerships/relationship/",
    "partnerships/relationship/?q=kobe",
    "partnerships/partner/",
    "partnerships/partner/?q=%E5%A4%A7%E6%A7%8C",
    "partnerships/relationship/1/change/",
    "partnerships/partner/1/change/",
    "partnerships/agreement/",
    "partnerships/program/",
    "partnerships/source/",
    "partnerships/changerequest/",
    "partnerships/report/",
    "partnerships/relationship/import/",
    "partnerships/relationship/1/history/",
]


def addresses():
    for language in ("en", "ja"):
        base = f"/{language}/"
        yield from (base + page for page in PAGES)
        for page in LISTS:
            yield from (base + page + query for query in QUERIES)
            yield from (f"{base}{page}?format={fmt}" for fmt in FORMATS)
            yield f"{base}{page}?format=json&kind=sister_city&page=2"
        for model in (Partner, Relationship, Agreement, Program):
            for record in model.objects.order_by("pk")[:6]:
                yield base + record.get_absolute_url().split("/", 2)[2]
        yield base + "partners/no-such-place/"
        yield base + "relationships/999999/"
    yield from ["/robots.txt", "/healthz", "/en/partners/washington/", "/ja/partners/hyogo/"]


def main(out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    client = Client(HTTP_HOST="localhost")
    staff = Client(HTTP_HOST="localhost")
    staff.force_login(User.objects.get_or_create(username="snapshot", is_staff=True, is_superuser=True)[0])
    asked = [(client, address, {}) for address in addresses()]
    for language in ("en", "ja"):
        asked += [(staff, f"/admin/{page}", {"HTTP_ACCEPT_LANGUAGE": language}) for page in STAFF]
    for asker, address, headers in asked:
        response = asker.get(address, **headers)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        name = re.sub(r"[^\w.=&-]+", "_", quote(address, safe="/?=&"))[:170] + headers.get("HTTP_ACCEPT_LANGUAGE", "")
        said = "".join(f"{k}: {v}\n" for k, v in sorted(response.items()) if k not in ("Date", "Expires"))
        for pattern, mask in VARYING:
            body = pattern.sub(mask, body)
        (out / name).write_bytes(f"{response.status_code}\n{said}\n".encode() + body)
    print(f"{len(list(out.iterdir()))} answers in {out}")


if __name__ == "__main__":
    main(sys.argv[1])
