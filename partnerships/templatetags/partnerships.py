from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partnerships.models import DatePrecision

register = template.Library()

# Formats per precision, in Django's date syntax; "1957", "October 1957", "17 October 1957".
PRECISION_FORMATS = {
    DatePrecision.YEAR: "Y",
    DatePrecision.MONTH: "YEAR_MONTH_FORMAT",
    DatePrecision.DAY: "DATE_FORMAT",
}


@register.simple_tag
def precise_date(value, precision):
    """A date shown only as precisely as its source states it."""
    if not value:
        return _("not stated")
    return date_format(value, PRECISION_FORMATS.get(precision, "DATE_FORMAT"))
