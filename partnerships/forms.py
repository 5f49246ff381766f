from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PAGE_SIZE = 500
FORMATS = [("html", "HTML"), ("json", "JSON"), ("csv", "CSV"), ("xlsx", "Excel")]


class ListFormatForm(forms.Form):
    """How a list is delivered: as a page (HTML) or as data, and how many rows a page holds."""

    format = forms.ChoiceField(choices=FORMATS, required=False)
    bom = forms.BooleanField(required=False, help_text=_("Start a CSV file with a byte-order mark, for Excel."))
    page_size = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        required=False,
        error_messages={"max_value": _("At most %(limit_value)s rows a page.")},
    )

    def wants(self):
        """The format asked for, when the request is valid."""
        return self.cleaned_data.get("format") or "html" if self.is_valid() else "html"

    def wants_json(self):
        return self.wants() == "json"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False, strip=True)
    format = forms.ChoiceField(choices=FORMATS, required=False)
