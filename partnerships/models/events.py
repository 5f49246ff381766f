"""A relationship's own history: when it began, was signed again, changed kind, was suspended or
ended, each event with its date as precise as its page states it, and the page.

A relationship's "established" is its first signing (the first `began` event the build takes from
a primary page, where there is one); anniversaries, date filters, sorting, the decade facet and
exports all count from it. An end makes the relationship inactive. Where pages disagree on an
event's date, each page's event is kept, so the record page shows both.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.models.records import Relationship, Source, Verification, precision_constraint
from partnerships.models.versioned import Versioned
from partnerships.rules.dates import DatePrecision
from partnerships.rules.text import CleanTextModel


class RelationshipEvent(Versioned, CleanTextModel):
    """One dated event of a relationship, as one page states it."""

    class Kind(models.TextChoices):
        BEGAN = "began", _("began")
        RE_SIGNED = "re_signed", _("signed again")
        KIND_CHANGED = "kind_changed", _("changed kind")
        SUSPENDED = "suspended", _("suspended")
        ENDED = "ended", _("ended")

    relationship = models.ForeignKey(
        Relationship, verbose_name=_("relationship"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=12, choices=Kind)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(_("precision of the date"), max_length=5, choices=DatePrecision, blank=True)
    kind_after = models.CharField(_("kind after the event"), max_length=20, choices=Relationship.Kind, blank=True)
    predecessor = models.CharField(
        _("signed by"),
        max_length=200,
        blank=True,
        help_text=_("The municipality that signed, where it has since merged into today's partner (e.g. Kasuga Town)."),
    )
    predecessor_ja = models.CharField(_("signed by (Japanese)"), max_length=200, blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("page"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    page_kind = models.CharField(_("kind of page"), max_length=12, choices=Verification.PageKind, blank=True)
    quote = models.TextField(_("the words on the page"), blank=True)
    checked = models.DateField(_("checked on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["relationship", "date", "id"]
        verbose_name = _("event in a relationship's history")
        verbose_name_plural = _("events in relationships' histories")
        constraints = [precision_constraint("date", "relationship_event_date_with_precision")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date or '—'}"
