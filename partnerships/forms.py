from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PAGE_SIZE = 500
FORMATS = [("html", "HTML"), ("json", "JSON"), ("csv", "CSV"), ("xlsx", "Excel")]


class OutputForm(forms.Form):
    """How a result is delivered: as a page (HTML) or as data (see `partnerships.renderers`)."""

    format = forms.ChoiceField(choices=FORMATS, required=False)
    bom = forms.BooleanField(required=False, help_text=_("Start a CSV file with a byte-order mark, for Excel."))


class ListFormatForm(OutputForm):
    """A list's delivery, and how many rows a page holds."""

    page_size = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        required=False,
        error_messages={"max_value": _("At most %(limit_value)s rows a page.")},
    )


class SearchForm(OutputForm):
    q = forms.CharField(label=_("Search"), max_length=200, required=False, strip=True)
