"""What the directory calls a corroborated relationship, in one place.

Plain Python with no Django import, so that the data build (`databuild`) applies the same rule
as the site: the QuerySet filter, the facet, the export column, the badge and the build's report
all call this module.
"""

#: A relationship listed by at least this many independent sources is "corroborated".
CORROBORATING_SOURCES = 2


def is_corroborated(source_count: int) -> bool:
    return source_count >= CORROBORATING_SOURCES
