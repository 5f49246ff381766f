"""Dates as precise as their sources state them, in the reader's format: "October 1957" /
"1957年10月", "1955" / "1955年". One definition for pages, feeds and files."""

import datetime

from django.db import models
from django.utils import dateformat
from django.utils.formats import date_format, get_format, get_format_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DatePrecision(models.TextChoices):
    """How much of a date its source states: "1963", "October 1963" or "17 June 2010"."""

    YEAR = "year", gettext_lazy("year")
    MONTH = "month", gettext_lazy("month")
    DAY = "day", gettext_lazy("day")


# Formats per precision: Django format names, or YEAR_FORMAT from directory/formats/<lang>/.
PRECISION_FORMATS = {
    DatePrecision.YEAR: "YEAR_FORMAT",
    DatePrecision.MONTH: "YEAR_MONTH_FORMAT",
    DatePrecision.DAY: "DATE_FORMAT",
}


def year_format():
    """How a year on its own is written: "1955" in English, "1955年" in Japanese."""
    for module in get_format_modules():
        if hasattr(module, "YEAR_FORMAT"):
            return module.YEAR_FORMAT
    return "Y"


def date_formats():
    """{precision: format} in the reader's language: "F Y" / "Y年n月" for a month, and so on."""
    return {
        precision: year_format() if name == "YEAR_FORMAT" else get_format(name)
        for precision, name in PRECISION_FORMATS.items()
    }


def precise_date(value, precision, formats=None):
    """A date shown only as precisely as its source states it (`formats`: `date_formats()`, when
    many dates are drawn at once)."""
    if not value:
        return _("not stated")
    formats = formats or date_formats()
    return dateformat.format(value, formats.get(precision, formats[DatePrecision.DAY]))


def year(value):
    """A year number as the reader writes it ("1955" / "1955年")."""
    if value in (None, ""):
        return ""
    try:
        return date_format(datetime.date(int(value), 1, 1), year_format())
    except (TypeError, ValueError):
        return value
