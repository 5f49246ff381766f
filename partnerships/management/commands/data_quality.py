"""`manage.py data_quality`: how complete the directory's relationship data is.

Prints relationship counts per US state (a state's own links plus those of its cities and
counties), per prefecture, by kind, and corroborated (`evidence.CORROBORATING_SOURCES` or more
sources) against single-source, then warns about places lacking coordinates or a Japanese name.
The public figures it compares against are quoted beside the counts so a reader can judge the
gap. Always exits 0: it reports, it does not gate.
"""

from collections import Counter

from django.core.management.base import BaseCommand
from django.db.models import Count

from partnerships.models import Partner, Relationship, Verification
from partnerships.public.figures import IN_WORDS as PUBLIC_FIGURES
from partnerships.rules import evidence


class Command(BaseCommand):
    help = "Counts of relationships per state, prefecture and kind, and warnings about incomplete places."

    def handle(self, *args, **options):
        relationships = Relationship.objects.all()
        total = relationships.count()
        by_kind = Counter(
            {
                Relationship.Kind(kind).label: n
                for kind, n in relationships.values_list("kind").annotate(n=Count("pk")).order_by()
            }
        )
        corroborated = relationships.corroborated().count()
        per_state = {
            row["region_name"] or "(no state)": row["count"] for row in relationships.count_by_region("us_partner")
        }
        per_prefecture = {
            row["region_name"] or "(no prefecture)": row["count"] for row in relationships.count_by_region("jp_partner")
        }

        out = self.stdout.write
        out(f"Relationships: {total}")
        for kind, count in sorted(by_kind.items()):
            out(f"  {kind}: {count}")
        out(f"  corroborated ({evidence.CORROBORATING_SOURCES}+ sources): {corroborated}")
        out(f"  single-source: {total - corroborated}")
        states = dict(relationships.values_list("verification").annotate(n=Count("pk")).order_by())
        for value, label in Verification.State.choices:
            out(f"  {label}: {states.get(value, 0)}")
        dated = relationships.exclude(established=None).count()
        out(f"  dated: {dated} ({dated * 100 // max(total, 1)}%)")
        out("")
        out("Public figures to compare with:")
        for what, figure in PUBLIC_FIGURES:
            out(f"  {what}: {figure}")
        out(
            f"  -> here: {by_kind.get('sister city', 0)} sister-city, {by_kind.get('sister state', 0)} sister-state, "
            f"California {per_state.get('California', 0)}, Washington {per_state.get('Washington', 0)}"
        )
        out("")
        out("Relationships per US state (the state's own links and its cities' and counties'):")
        for name, count in sorted(per_state.items()):
            out(f"  {name}: {count}")
        out("")
        out("Relationships per prefecture (the prefecture's own links and its municipalities'):")
        for name, count in sorted(per_prefecture.items()):
            out(f"  {name}: {count}")
        out("")
        self._warnings()

    def _warnings(self):
        out = self.stdout.write
        places = Partner.objects.places().order_by("country", "kind", "slug")
        no_coordinates = [p for p in places if not p.has_coordinates]
        no_japanese = [p for p in places if not p.name_ja]
        no_kana = [p for p in places if p.country == "JP" and not p.name_kana]
        unlinked = Relationship.objects.filter(source_count=0).count()
        out("Warnings:")
        out(f"  places without coordinates: {len(no_coordinates)}")
        for place in no_coordinates:
            out(f"    {place.slug}")
        kinds = Counter(p.get_kind_display() for p in no_japanese)
        detail = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
        out(f"  places without a Japanese name: {len(no_japanese)}" + (f" ({detail})" if detail else ""))
        for place in no_japanese:
            if place.kind != Partner.Kind.US_CITY and place.kind != Partner.Kind.US_COUNTY:
                out(f"    {place.slug}")
        out(f"  Japanese places without a kana reading: {len(no_kana)}")
        out(f"  relationships citing no source: {unlinked}")
