"""Anniversaries: the ties that reach a round number of years (5, 10, 15 …) in a given year, for
offices that plan delegations and commendations a year ahead. One definition of "an anniversary
in year Y", used by the page, its downloads and the calendar feed (/anniversaries.ics)."""

import datetime

from django import forms
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear, Mod
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import DatePrecision, Status
from partnerships.public.forms import OutputForm

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
    `anniversary_year` and its `anniversary` (the number of years). Undated ones cannot, and an
    ended one has none to plan."""
    queryset = queryset.exclude(established=None).exclude(status=Status.INACTIVE)
    queryset = queryset.annotate(since=ExtractYear("established"))
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


def days_of(link):
    """(first day, day after the last): the days the anniversary covers, as precisely as the tie's
    date is stated — the day; the whole month where the source gives only the month; the whole year
    where it gives only the year.

    Why a span, not the 1st: a calendar showing "October 1971" as 1 October (or "1962" as 1 January)
    says something the sources do not, and a planner would book the wrong day; a note alone would
    still put the event on a day it is not. An all-day event spanning the month or year is what a
    calendar can say of "sometime in October": it is there all month, and the calendar's own
    month and year views show it where it belongs."""
    established, year = link.established, link.anniversary_year
    if link.established_precision == DatePrecision.YEAR:
        return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    if link.established_precision == DatePrecision.MONTH:
        following = datetime.date(year + (established.month == 12), established.month % 12 + 1, 1)
        return datetime.date(year, established.month, 1), following
    try:
        day = datetime.date(year, established.month, established.day)
    except ValueError:  # 29 February in a year without it
        day = datetime.date(year, 2, 28)
    return day, day + datetime.timedelta(days=1)
