"""The facets' counts in as few statements as the databases allow: every facet of a list and the
list's own count in one statement, written by hand where the ORM has no words for it (GROUPING SETS
on PostgreSQL, a materialised CTE on SQLite), and several GROUP BY counts in one round trip (the
ORM's UNION ALL). What is counted is decided in `partnerships.public.facets`;
tests/test_differential.py holds these answers to the plain ORM's.
"""

from django.db import connections
from django.db.models import TextField, Value
from django.db.models.functions import Cast


def count_in_one_pass(matching, expressions, searched):
    """(the number of records `matching` selects, {name: [{"value", "count"}, ...]}) for each of the
    `expressions` ({name: expression}) over them, read once; None where counting each facet apart
    is the faster way (SQLite without a search)."""
    database = connections[matching.db]
    if database.vendor == "sqlite" and not searched:
        # SQLite counts each facet from its index faster than it writes the records out once; only
        # a search, which would be run again for every facet, is worth materialising.
        return None
    names = list(expressions)
    columns = {f"facet_{n}": expression for n, expression in enumerate(expressions.values())}
    # With its key, so that a query that is DISTINCT (a filter on a relation) keeps one row per record.
    selected = matching.order_by().values("pk", **columns)
    # Compiled for the database it runs on (the replica, for a public page), not the default one.
    inner, params = selected.query.get_compiler(using=selected.db).as_sql()
    rows = {name: [] for name in names}
    total = 0
    with database.cursor() as cursor:
        cursor.execute(one_pass_sql(database, inner, list(columns)), params)
        for position, value, count in cursor.fetchall():
            if position < 0:
                total = count
            else:
                rows[names[position]].append({"value": value, "count": count})
    return total, rows


def counted_together(querysets):
    """{name: [{"value", "count"}, ...]} for {name: a GROUP BY queryset of (value, count)}: run as one
    statement (UNION ALL), one round trip and one plan instead of one each. Each part says which
    facet it counts, and gives its values as text, as the parts' values differ in type."""
    if len(querysets) < 2:
        return {name: list(rows) for name, rows in querysets.items()}
    names = list(querysets)
    parts = [
        querysets[name]
        .order_by()
        .annotate(facet_position=Value(position))
        .values_list("facet_position", Cast("value", TextField()), "count")
        for position, name in enumerate(names)
    ]
    counted = {name: [] for name in names}
    for position, value, count in parts[0].union(*parts[1:], all=True):
        counted[names[position]].append({"value": value, "count": count})
    return counted


def one_pass_sql(database, inner, columns):
    """SQL giving (facet position, value, count) for each column's values over the records `inner`
    selects, and (-1, NULL, their number)."""
    if database.vendor == "postgresql":
        # A row is grouped by the one column whose GROUPING() is 0 (the others are NULL in it); by none
        # for the total.
        position = (
            "CASE " + " ".join(f"WHEN GROUPING({c}) = 0 THEN {n}" for n, c in enumerate(columns)) + " ELSE -1 END"
        )
        value = "COALESCE(" + ", ".join(f"CAST({c} AS text)" for c in columns) + ")"
        sets = ", ".join(f"({column})" for column in columns) + ", ()"
        return f"SELECT {position}, {value}, COUNT(*) FROM ({inner}) AS matching GROUP BY GROUPING SETS ({sets})"
    materialized = "MATERIALIZED " if database.Database.sqlite_version_info >= (3, 35) else ""
    counts = [f"SELECT {n}, {column}, COUNT(*) FROM matching GROUP BY {column}" for n, column in enumerate(columns)]
    return f"WITH matching AS {materialized}({inner}) " + " UNION ALL ".join(
        [*counts, "SELECT -1, NULL, COUNT(*) FROM matching"]
    )
