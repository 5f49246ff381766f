"""What changed: the directory's published history, newest first, for /changes/ and its feed."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agreement, Partner, Program, Relationship


@dataclass
class PublishedChange:
    key: str
    date: datetime.datetime
    verb: str
    kind: str
    label: str
    reason: str
    url: str


CHANGE_VERBS = {"+": _("Added"), "~": _("Changed"), "-": _("Removed")}


def recent_changes(limit):
    """The newest `limit` published changes to partners, relationships, agreements and programs
    (one query per kind of record)."""
    followed = [
        (Partner, ["parent"]),
        (Relationship, ["us_partner", "jp_partner"]),
        (Agreement, []),
        (Program, []),
    ]
    changes = []
    for model, related in followed:
        for record in model.history.select_related(*related).order_by("-history_date", "-history_id")[:limit]:
            instance = record.instance
            try:
                label = str(instance)
            except ObjectDoesNotExist:  # a partner it named has since been removed
                label = f"{model._meta.verbose_name} #{record.id}"
            changes.append(
                PublishedChange(
                    key=f"{model._meta.model_name}-{record.history_id}",
                    date=record.history_date,
                    verb=str(CHANGE_VERBS[record.history_type]),
                    kind=str(model._meta.verbose_name),
                    label=label,
                    reason=record.history_change_reason or "",
                    url="" if record.history_type == "-" else instance.get_absolute_url(),
                )
            )
    changes.sort(key=lambda change: change.date, reverse=True)
    return changes[:limit]
