from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PAGE_SIZE = 500


class ListFormatForm(forms.Form):
    """How a list is delivered: as a page (HTML) or as data, and how many rows a page holds."""

    format = forms.ChoiceField(choices=[("html", "HTML"), ("json", "JSON")], required=False)
    page_size = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        required=False,
        error_messages={"max_value": _("At most %(limit_value)s rows a page.")},
    )

    def wants_json(self):
        return self.is_valid() and self.cleaned_data.get("format") == "json"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False, strip=True)
    format = forms.ChoiceField(choices=[("html", "HTML"), ("json", "JSON")], required=False)
