"""The network at a glance (/statistics/): ties per decade by kind, the most-linked states and
prefectures, and both countries shaded by their number of ties. Each picture is drawn here as
plain numbers for a server-rendered SVG (no script, nothing fetched), with its table beside it,
and follows the relationships list's filters."""

import functools
import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count

from partnerships.models import Country, Partner, Relationship
from partnerships.rules import regions
from partnerships.rules.names import local_name

OUTLINES = settings.BASE_DIR / "static" / "map" / "outlines.json"
SHADES = 5  # classes of the choropleths, from none to most


@dataclass
class Bar:
    label: str
    parts: list  # [(kind label, count, css class)]
    total: int = 0
    segments: list = field(default_factory=list)  # [(x, width, kind label, count, css class)]
    y: int = 0  # where the bar stands in its chart
    end: float = 0.0  # where the bar ends, for its number


def decades(queryset):
    """Bars of ties established per decade, each split by kind; undated ties in a bar of their own."""
    rows = queryset.order_by().values("kind", "decade").annotate(n=Count("pk"))
    kinds = dict(Relationship.Kind.choices)
    by_decade = {}
    for row in rows:
        by_decade.setdefault(row["decade"], {})[row["kind"]] = row["n"]
    bars = []
    for decade in sorted(by_decade, key=lambda d: (d is None, d or 0)):
        counts = by_decade[decade]
        label = f"{decade}s" if decade is not None else ""
        parts = [(kinds[kind], counts[kind], kind) for kind in kinds if counts.get(kind)]
        bars.append(Bar(label=label, parts=parts, total=sum(counts.values())))
    return lay_out(bars)


ROW = 22  # SVG units per bar
LEFT = 110  # room for the labels


def lay_out(bars, width=320):
    """Positions of each bar and its segments, the longest bar filling `width`."""
    longest = max((bar.total for bar in bars), default=0) or 1
    for index, bar in enumerate(bars):
        bar.y = index * ROW
        x = float(LEFT)
        for label, count, css in bar.parts:
            length = width * count / longest
            bar.segments.append((round(x, 1), round(length, 1), label, count, css))
            x += length
        bar.end = round(x + 4, 1)
    return bars


def height(bars):
    return len(bars) * ROW + 4


def most_linked(rows, top=15):
    """Bars of the states or prefectures with the most ties, from `count_by_region` rows (most first)."""
    rows = rows[:top]
    bars = [Bar(label=row["region_name"] or "", parts=[("", row["count"], "all")], total=row["count"]) for row in rows]
    for bar, row in zip(bars, rows, strict=True):
        bar.region = row
    return lay_out(bars)


@functools.cache
def outlines():
    return json.loads(OUTLINES.read_text(encoding="utf-8"))


def bounds(paths):
    """The viewBox that holds these SVG paths, with a margin."""
    numbers = [float(n) for d in paths for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    xs, ys = numbers[0::2], numbers[1::2]
    margin = 10
    x0, y0 = min(xs) - margin, min(ys) - margin
    return f"{x0:.0f} {y0:.0f} {max(xs) - x0 + margin:.0f} {max(ys) - y0 + margin:.0f}"


def choropleth(rows, country):
    """Each state or prefecture's outline, shaded by its number of ties (0 to SHADES - 1), from
    `count_by_region` rows."""
    counts = {row["region_code"]: row["count"] for row in rows}
    features = outlines()["us" if country == "US" else "jp"]
    if country == "US":
        codes = dict(
            Partner.objects.filter(country=Country.US, kind__in=Partner.REGION_KINDS)
            .exclude(fips_code="")
            .values_list("fips_code", "iso_code")
        )
    else:
        codes = {feature["id"]: regions.iso_code("prefecture", feature["id"]) for feature in features}
    # Named in the reader's language from the directory's own records; the outline's name otherwise.
    names = {
        iso: local_name(name, name_ja)
        for iso, name, name_ja in Partner.objects.filter(kind__in=Partner.REGION_KINDS, country=country).values_list(
            "iso_code", "name", "name_ja"
        )
    }
    most = max(counts.values(), default=0) or 1
    shapes = []
    for feature in features:
        code = codes.get(feature["id"], "")
        count = counts.get(code, 0)
        shade = 0 if not count else 1 + min(SHADES - 2, (count - 1) * (SHADES - 1) // most)
        shapes.append(
            {
                "d": feature["d"],
                "name": names.get(code) or feature["name"],
                # The outline's own (English) name, where the directory has no record of the place.
                "lang": "" if code in names else "en",
                "count": count,
                "shade": shade,
                "code": code,
                "fips": feature["id"],
            }
        )
    # The states and DC frame the US map; Guam and the other territories lie across the Pacific.
    framed = [
        shape["d"] for shape, feature in zip(shapes, features, strict=True) if country == "JP" or feature["id"] < "60"
    ]
    return {"view_box": bounds(framed), "shapes": shapes, "most": most}
