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


class State:
    """A relationship's verification state, best first (the model's choices take these values)."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    DISPUTED = "disputed"
    UNVERIFIED = "unverified"
    ENTERED = "entered"


class Verdict:
    """What a page can show about a relationship."""

    CONFIRMED = "confirmed"
    ENDED = "ended"
    WRONG_KIND = "wrong_kind"
    CONTRADICTED = "contradicted"
    NOT_FOUND = "not_found"


class Page:
    """The kinds of page checked."""

    MUNICIPAL = "municipal"
    PREFECTURAL = "prefectural"
    CLAIR = "clair"
    CONSULATE = "consulate"
    US_CITY = "us_city"
    SECONDARY = "secondary"


#: Pages that speak for a side of the tie or for an official register of ties.
PRIMARY_PAGES = (Page.MUNICIPAL, Page.PREFECTURAL, Page.CLAIR, Page.CONSULATE, Page.US_CITY)
#: What a page can show, in the order an editor picks from.
VERDICTS = (Verdict.CONFIRMED, Verdict.ENDED, Verdict.WRONG_KIND, Verdict.CONTRADICTED, Verdict.NOT_FOUND)
#: Verdicts that show the tie exists (or existed).
CONFIRMING = (Verdict.CONFIRMED, Verdict.ENDED)
#: Verdicts that show the record is wrong in its pair or its kind.
CONTRADICTING = (Verdict.WRONG_KIND, Verdict.CONTRADICTED)


def verification_state(checks) -> str:
    """The state of a relationship from its checks, [(verdict, page kind), ...]:

    - "disputed": a page contradicts the record (its pair or its kind), whatever else confirms it;
    - "primary": a primary page confirms it;
    - "secondary": only other pages (news, associations, lists) confirm it;
    - "unverified": pages were searched and none found confirms it;
    - "entered": staff entered it from its source, and no page has been checked yet."""
    if not checks:
        return State.ENTERED
    if any(verdict in CONTRADICTING for verdict, _ in checks):
        return State.DISPUTED
    if any(verdict in CONFIRMING and kind in PRIMARY_PAGES for verdict, kind in checks):
        return State.PRIMARY
    if any(verdict in CONFIRMING for verdict, _ in checks):
        return State.SECONDARY
    return State.UNVERIFIED
