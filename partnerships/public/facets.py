"""Counts beside every filter: how many records each value would give.

A facet's counts come from the records matching every *other* filter, so that choosing
Washington still shows how many Oregon would add (values within a facet combine with OR,
facets with AND). Each facet is one GROUP BY query over the matching ids, counting
distinct records, so a many-to-many value (a topic) never counts a record twice.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, F
from django.db.models.constants import LOOKUP_SEP
from django.http import QueryDict

from partnerships.sql.facets import count_in_one_pass, counted_together

# Query-string keys that are not filters: how a list is delivered, not what it holds.
NOT_FILTERS = {"page", "page_size", "format", "bom"}


@dataclass
class Facet:
    """`expression` is what to group by (a field path or expression); `prefix` is removed
    from database values to make the filter's value (`US-WA` → `WA`); values without it
    are not counted; `labels` ({value: label}) stand in for the filter's own choices where those
    will not do (yes/no facets)."""

    expression: Any
    prefix: str = ""
    labels: dict | None = None
    none: str = ""  # the value that counts the records with no value at all (undated ones), if any
    distinct: bool = False  # the expression crosses a many-to-many field: count each record once
    # A many-to-many facet counted on its link table (`expression` relative to it): no join of the
    # whole list to the link table and the far side.
    through: Any = None
    # Values in the order of the filter's choices (prefectures north to south, JIS X 0401), not by count.
    ordered: bool = False


class FacetedFilterSet:
    """Mixin for a django-filter FilterSet with a `facets = {filter_name: Facet}` attribute."""

    facets: dict = {}
    # How many records match every chosen filter, when the facets counted it on the way (else None).
    total = None
    # The one filter that orders rather than narrows: never a facet, a chip or part of a file name.
    ordering_name = "sort"

    def chosen(self):
        """{filter name: value} of the valid filters the request sets, sorting excluded."""
        cleaned = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return {
            name: value for name, value in cleaned.items() if name != self.ordering_name and value not in (None, "", [])
        }

    def _matching_all_but(self, *names):
        queryset = self.queryset
        for name, value in self.chosen().items():
            if name not in names:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def repeats(self, *names):
        """Whether a chosen filter (other than `names`) crosses a to-many relation (a topic), so that
        the records it matches can come more than once. A filter with a method of its own narrows
        through a subquery (`pk__in`) or along to-one relations, and never repeats a record."""
        model = self.queryset.model
        return any(
            crosses_to_many(model, self.filters[name].field_name)
            for name in self.chosen()
            if name not in names and self.filters[name].method is None
        )

    def selected(self, name):
        if not (self.is_bound and self.form.is_valid()):
            return []
        value = self.form.cleaned_data.get(name)
        if value in (None, "", []):
            return []
        values = value if isinstance(value, list) else [value]
        return [str(v).lower() if isinstance(v, bool) else str(v) for v in values]

    def facet_counts(self):
        """{facet: [{"value", "label", "count", "selected"}, ...]}, most frequent first."""
        model = self.queryset.model
        results = self.counted_in_one_pass()
        separate = {}
        for name, facet in self.facets.items():
            if name in results:
                continue
            # Counted straight over the records the other filters match; within a sub-query where a
            # filter across a many-to-many field may repeat a record.
            matching = self._matching_all_but(name)
            if facet.through is not None:
                source = facet.through._meta.get_field(model._meta.model_name)
                separate[name] = (
                    facet.through.objects.filter(**{f"{source.name}__in": matching.values("pk")})
                    .order_by()
                    .values(value=F(facet.expression))
                    .annotate(count=Count(source.attname, distinct=True))
                )
                continue
            repeats = self.repeats(name)
            if repeats:
                matching = model._default_manager.filter(pk__in=matching.values("pk"))
            separate[name] = (
                matching.order_by()
                .values(value=F(facet.expression) if isinstance(facet.expression, str) else facet.expression)
                .annotate(count=Count("pk", distinct=facet.distinct or repeats))
            )
        for name, rows in counted_together(separate).items():
            results[name] = self.values_of(name, self.facets[name], rows)
        # In the filters' order, however each was counted.
        return {name: results[name] for name in self.facets}

    def counted_in_one_pass(self):
        """Every facet whose own filter is not chosen counts over the same records (those all chosen
        filters match), and so does the list's own count (`total`): one statement counts them all,
        reading the matching records once, instead of one GROUP BY each over a fresh search. On
        PostgreSQL with GROUPING SETS; on SQLite, for a search, over a materialised CTE. {} when too
        few facets share the records."""
        chosen = set(self.chosen())
        shared = {
            name: facet
            for name, facet in self.facets.items()
            if name not in chosen and facet.through is None and not facet.distinct
        }
        matching = self._matching_all_but()
        if len(shared) < 2 or self.repeats():
            return {}
        expressions = {
            name: F(facet.expression) if isinstance(facet.expression, str) else facet.expression
            for name, facet in shared.items()
        }
        counted = count_in_one_pass(matching, expressions, searched="q" in chosen)
        if counted is None:
            return {}
        self.total, rows = counted
        return {name: self.values_of(name, shared[name], rows[name]) for name in shared}

    def labels(self, name):
        """{value: label} of a filter's choices, read from the filter's own choices rather than
        through its form field (which walks them one by one, for every facet of every page)."""
        choices = self.filters[name].extra.get("choices")
        if callable(choices):
            choices = choices()
        return dict(choices) if choices is not None else dict(self.filters[name].field.choices)

    def values_of(self, name, facet, rows):
        """A facet's rows ({"value", "count"}) as labelled values, the chosen ones marked."""
        labels = facet.labels or self.labels(name)
        selected = set(self.selected(name))
        values = []
        for row in rows:
            raw = row["value"]
            if raw is None and facet.none:
                raw = facet.none
            if raw is None or raw == "":
                continue
            value = str(raw).lower() if isinstance(raw, bool) else str(raw)
            if facet.prefix:
                if not value.startswith(facet.prefix):
                    continue
                value = value.removeprefix(facet.prefix)
            if value not in labels:
                continue
            values.append(
                {"value": value, "label": str(labels[value]), "count": row["count"], "selected": value in selected}
            )
        # A chosen value that no record has any more stays listed, so it can be unticked.
        shown = {item["value"] for item in values}
        for value in sorted(selected - shown):
            if value in labels:
                values.append({"value": value, "label": str(labels[value]), "count": 0, "selected": True})
        if facet.ordered:
            position = {value: n for n, value in enumerate(labels)}
            values.sort(key=lambda item: position[item["value"]])
        else:
            values.sort(key=lambda item: (-item["count"], item["label"]))
        return values


def crosses_to_many(model, path):
    """Whether the field path `path` (`topics__slug`) from `model` crosses a many-to-many or
    one-to-many relation."""
    for name in path.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False  # a lookup or a transform (`__year`): the path's fields end here
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def filters_only(query: QueryDict):
    """The query string's filters (and sort), without paging, format and empty values: the same
    view elsewhere (the map's "show as a list" link)."""
    query = query.copy()
    for name in list(query):
        values = [value for value in query.getlist(name) if value]
        if name in NOT_FILTERS or not values:
            query.pop(name)
        else:
            query.setlist(name, values)
    return query


def toggle_url(query: QueryDict, name, value):
    """The query string with `value` of `name` added if absent, removed if present; back to page 1."""
    query = query.copy()
    query.pop("page", None)
    values = query.getlist(name)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    query.setlist(name, values)
    return "?" + query.urlencode() if query else "?"


def without(query: QueryDict, name):
    query = query.copy()
    query.pop("page", None)
    query.pop(name, None)
    return "?" + query.urlencode() if query else "?"


def with_page(query: QueryDict, number):
    """The query string of page `number` of the same list: "?state=WA&page=3"."""
    query = query.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


FACET_TOP = 8  # values a long facet group shows before "more"


def facet_groups(filterset, counts):
    """The facets for a template, in the filters' order."""
    groups = []
    for name, values in counts.items():
        if not values:  # a facet no record has a value for (no relationship has a topic yet) is not offered
            continue
        # A long group shows its most frequent values and the chosen ones; the rest fold under "more".
        # A group in a fixed order (prefectures north to south) is shown whole, in that order.
        folds = len(values) > FACET_TOP + 2 and not filterset.facets[name].ordered
        top = {id(value) for value in sorted(values, key=lambda value: -value["count"])[:FACET_TOP]}
        shown = [value for value in values if id(value) in top or value.get("selected")] if folds else values
        groups.append(
            {
                "name": name,
                "label": filterset.filters[name].label,
                "values": values,
                "shown": shown,
                "more": [value for value in values if value not in shown] if folds else [],
                "chosen": any(value.get("selected") for value in values),
            }
        )
    return groups


def active_filters(filterset, query):
    """One removable chip per chosen filter value: [{"label", "value", "url"}]."""
    chips = []
    for name, filter_ in filterset.filters.items():
        if name == filterset.ordering_name or name not in query:
            continue
        facet = filterset.facets.get(name)
        field = filterset.form.fields[name]
        if isinstance(field, forms.ModelChoiceField):
            # One record, named by what it is (its choices would be the whole table).
            chosen = filterset.form.cleaned_data.get(name) if filterset.form.is_valid() else None
            labels = {query.get(name): str(chosen)} if chosen else {}
        else:
            labels = dict(field.choices) if hasattr(field, "choices") else {}
        if facet and facet.labels:
            labels = facet.labels
        for raw in query.getlist(name):
            if raw == "":
                continue
            url = toggle_url(query, name, raw) if name in filterset.facets else without(query, name)
            chips.append({"label": filter_.label, "value": str(labels.get(raw, raw)), "url": url})
    return chips
