"""Anniversaries: the ties that reach a round number of years (5, 10, 15 …) in a given year, for
offices that plan delegations and commendations a year ahead. One definition of "an anniversary
in year Y", used by the page, its downloads and the calendar feed (/anniversaries.ics)."""

import datetime

from django import forms
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear, Mod
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.forms import OutputForm

STEP = 5  # years between the anniversaries that count


class YearForm(OutputForm):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200, required=False)

    def years(self):
        """The year asked for, or this year and next."""
        year = self.cleaned_data.get("year") if self.is_valid() else None
        return [year] if year else coming_years()


def coming_years():
    """This year and next: what "anniversaries coming" covers."""
    today = timezone.localdate().year
    return [today, today + 1]


def with_anniversaries(queryset, years):
    """The relationships that reach an anniversary in one of `years`, each annotated with that
    `anniversary_year` and its `anniversary` (the number of years). Undated ones cannot."""
    queryset = queryset.exclude(established=None).annotate(since=ExtractYear("established"))
    condition = Q()
    cases = []
    for year in years:
        key = f"step_{year}"
        queryset = queryset.annotate(**{key: Mod(Value(year) - F("since"), Value(STEP))})
        reaches = Q(**{key: 0, "since__lte": year - STEP})
        condition |= reaches
        cases.append(When(reaches, then=Value(year)))
    return (
        queryset.filter(condition)
        .annotate(anniversary_year=Case(*cases, output_field=IntegerField()))
        .annotate(anniversary=F("anniversary_year") - F("since"))
    )


def grouped(links):
    """[(year, [(anniversary, [links])])], the longest-standing ties first."""
    by_year = {}
    for link in links:
        by_year.setdefault(link.anniversary_year, {}).setdefault(link.anniversary, []).append(link)
    return [(year, sorted(groups.items(), key=lambda item: -item[0])) for year, groups in sorted(by_year.items())]


def day_of(link):
    """The day the anniversary falls on: the date as precisely as it is stated (the first of the
    month or of the year where the source gives no more)."""
    established = link.established
    try:
        return datetime.date(link.anniversary_year, established.month, established.day)
    except ValueError:  # 29 February in a year without it
        return datetime.date(link.anniversary_year, 2, 28)
