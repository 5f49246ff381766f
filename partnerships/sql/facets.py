"""The facets' counts as SQL written by hand, where the ORM has no words for it: every facet of a
list and the list's own count in one statement (GROUPING SETS on PostgreSQL, a materialised CTE on
SQLite), and several GROUP BY counts in one round trip. What is counted is decided in
`partnerships.public.facets`; tests/test_differential.py holds these answers to the plain ORM's.
"""

from django.db import connections


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
    inner, params = matching.order_by().values("pk", **columns).query.sql_with_params()
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
    statement (UNION ALL), one round trip and one plan instead of one each."""
    if len(querysets) < 2:
        return {name: list(rows) for name, rows in querysets.items()}
    names = list(querysets)
    database = connections[querysets[names[0]].db]
    parts, params = [], []
    for position, name in enumerate(names):
        sql, part_params = querysets[name].query.sql_with_params()
        parts.append(f"SELECT {position}, CAST(value AS text), count FROM ({sql}) AS facet_{position}")
        params.extend(part_params)
    counted = {name: [] for name in names}
    with database.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for position, value, count in cursor.fetchall():
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


def may_repeat(queryset):
    """Whether the query joins a to-many relation (a topic filter), so that a record can come twice."""
    for join in queryset.query.alias_map.values():
        field = getattr(join, "join_field", None)
        if field is not None and (getattr(field, "many_to_many", False) or getattr(field, "one_to_many", False)):
            return True
    return False
