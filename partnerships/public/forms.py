import functools

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import Report
from partnerships.rules import languages

MAX_PAGE_SIZE = 500
FORMATS = [("html", "HTML"), ("json", "JSON"), ("csv", "CSV"), ("xlsx", "Excel")]


class OutputForm(forms.Form):
    """How a result is delivered: as a page (HTML) or as data (see `partnerships.public.renderers`)."""

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


class ChartForm(forms.Form):
    """A statistics chart's numbers as a file (`?format=csv&chart=decades`); any other format is the page."""

    CHARTS = ("decades", "states", "prefectures")

    format = forms.ChoiceField(choices=[choice for choice in FORMATS if choice[0] in ("html", "csv")], required=False)
    chart = forms.ChoiceField(choices=[(chart, chart) for chart in CHARTS], required=False)


class SearchForm(OutputForm):
    q = forms.CharField(label=_("Search"), max_length=200, required=False, strip=True)


class ReportForm(forms.ModelForm):
    """A reader's report of an error or a missing tie. `website` is a honeypot: hidden from people,
    filled in by bots, and a report with it is dropped without a word."""

    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)

    class Meta:
        model = Report
        fields = ["what", "source_url", "email", "about"]
        labels = {
            "what": _("What is wrong, or which tie is missing?"),
            "source_url": _("A public page that shows it (optional, but it speeds the check)"),
            "email": _("Your e-mail, if we may ask you about it (optional; never published)"),
        }
        field_classes = {"source_url": functools.partial(forms.URLField, assume_scheme="https")}
        widgets = {
            "what": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
            "source_url": forms.URLInput(attrs={"placeholder": "https://", "maxlength": 500}),
            "about": forms.HiddenInput,
        }

    def clean_about(self):
        """Only a page of this directory: anything else is dropped, never stored."""
        return directory_page(self.cleaned_data.get("about", ""))

    def page_reported(self):
        """The page the report is about, checked: as sent, or as the link to the form gave it."""
        about = self.cleaned_data.get("about", "") if hasattr(self, "cleaned_data") else self.initial.get("about")
        return directory_page(about or "")

    def is_spam(self):
        return bool(self.cleaned_data.get("website"))


def directory_page(about):
    """`about` when it is the path of a page of this directory, else ""."""
    return about if about.startswith("/") and languages.is_page(about) else ""
