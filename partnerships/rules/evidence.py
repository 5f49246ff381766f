"""What the directory calls a corroborated relationship, in one place.

Plain Python with no Django import, so that the data build (`databuild`) applies the same rule
as the site: the QuerySet filter, the facet, the export column, the badge and the build's report
all call this module.
"""

#: A relationship listed by at least this many independent sources is "corroborated".
CORROBORATING_SOURCES = 2


def is_corroborated(source_count: int) -> bool:
    return source_count >= CORROBORATING_SOURCES


# --- Verification against public pages ----------------------------------------------------------
#
# Each relationship is checked against public pages (databuild/data/verification.tsv). A page
# is primary when it speaks for one side of the tie or for an official register of them.

#: Pages that speak for a side of the tie or for an official register of ties.
PRIMARY_PAGES = ("municipal", "prefectural", "clair", "consulate", "us_city")
#: What a page can show about a relationship.
VERDICTS = ("confirmed", "ended", "wrong_kind", "contradicted", "not_found")
#: Verdicts that show the tie exists (or existed).
CONFIRMING = ("confirmed", "ended")
#: Verdicts that show the record is wrong in its pair or its kind.
CONTRADICTING = ("wrong_kind", "contradicted")


def verification_state(checks) -> str:
    """The state of a relationship from its checks, [(verdict, page kind), ...]:

    - "disputed": a page contradicts the record (its pair or its kind), whatever else confirms it;
    - "primary": a primary page confirms it;
    - "secondary": only other pages (news, associations, lists) confirm it;
    - "unverified": no page found confirms it."""
    if any(verdict in CONTRADICTING for verdict, _ in checks):
        return "disputed"
    if any(verdict in CONFIRMING and kind in PRIMARY_PAGES for verdict, kind in checks):
        return "primary"
    if any(verdict in CONFIRMING for verdict, _ in checks):
        return "secondary"
    return "unverified"
