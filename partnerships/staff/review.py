"""Who publishes and who proposes: every change to the directory goes through `submit`.

A reviewer's change is published at once, with its author and whole reason in the record's
history; an editor's waits in the review queue (`ChangeRequest`) until a reviewer publishes or
rejects it. The admin's forms, the spreadsheet import and the history page's "restore" all call
`submit`, so the rule lives here once.

No edit is lost: a change to an existing record names the version it started from (`based_on`),
and is written by an UPDATE that matches only that version (models/versioned.py), so that of two
people saving at once one is saved and the other refused with what changed (`stale_error`).
"""

import collections

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from partnerships.html.messages import with_changes
from partnerships.models import ChangeRequest, DataVersion
from partnerships.models.history import differences_between
from partnerships.models.review import publish, serialize_value, snapshot
from partnerships.models.versioned import StaleVersion

PUBLISH_PERMISSION = "partnerships.publish_changerequest"


def can_publish(user):
    """Reviewers (and superusers) publish; editors propose."""
    return user.has_perm(PUBLISH_PERMISSION)


def changes_anything(instance, values, new_sources=(), new_partners=()):
    """Whether `values` ({field: value}), new sources or new partners would change the published record."""
    if instance.pk is None or instance._state.adding or new_sources or new_partners:
        return True
    current = type(instance).objects.filter(pk=instance.pk).first()
    if current is None:
        return True
    model = type(instance)
    proposed = {name: serialize_value(model._meta.get_field(name), value) for name, value in values.items()}
    return snapshot(current, proposed) != proposed


class Refused(ValidationError):
    """A change that was not saved, and why, in words for the person who sent it: the record moved
    on since their form was filled in (naming what changed), or the form was sent already. Raised
    from inside the save's transaction, so that everything it had written is rolled back."""


def submit(
    instance, values, user, reason, new_sources=(), import_batch="", new_partners=(), based_on=None
):  # fmt: skip
    """One addition or change, with the reason for it.

    `values` maps field names to values from a valid form, many-to-many fields to lists of
    records; `new_sources` are [{"url", "title"}] and `new_partners` [{"field", "name", "kind",
    "country", "parent"…}] the directory does not have yet, created with it. Returns the
    published record (a reviewer), the `ChangeRequest` (an editor), or None when nothing would
    change.

    `based_on` is the version of the record the change starts from (a change form's hidden
    field): a reviewer's change is written by an UPDATE that matches only that version, an
    editor's proposal is filed only while the record is at it; otherwise `Refused`, naming what
    changed, and nothing is written. Without it (imports, scripts) the change is not checked."""
    if not changes_anything(instance, values, new_sources, new_partners):
        return None
    try:
        if not can_publish(user):
            return ChangeRequest.propose(
                instance, values, user, reason, new_sources, import_batch=import_batch, new_partners=new_partners,
                based_on=based_on,
            )  # fmt: skip
        model = type(instance)
        fields = {name: value for name, value in values.items() if not model._meta.get_field(name).many_to_many}
        many = {name: value for name, value in values.items() if model._meta.get_field(name).many_to_many}
        if import_batch:
            reason = f"Import {import_batch}: {reason}"
        return publish(instance, fields, many, user, reason, new_sources, new_partners, based_on=based_on)
    except StaleVersion as stale:
        raise stale_error(stale.instance, stale.expected) from None


def delete(instance, user, reason, based_on):
    """Delete a published record (a reviewer's inline row), with who and why in its history, only
    while it is at `based_on`: the row is locked, its version compared, then deleted."""
    with transaction.atomic():
        DataVersion.lock()
        current = type(instance).objects.select_for_update().filter(pk=instance.pk).first()
        if current is None:
            return
        if based_on is None:
            raise no_version_error()
        if current.version != int(based_on):
            raise stale_error(instance, based_on)
        current._history_user = user
        current._change_reason = reason
        current.delete()


def version_of(instance):
    """The version of a published record an edit starts from: the record's `version` as it is in the
    database now (a restore's form holds an older copy of the record), 0 for a new record."""
    if instance.pk is None or not hasattr(type(instance), "version"):
        return 0
    return type(instance)._base_manager.filter(pk=instance.pk).values_list("version", flat=True).first() or 0


Moved = collections.namedtuple("Moved", "who when differences")


def changes_since(instance, version):
    """What others have published to this record since `version`: `Moved(who, when, [(field, value
    then, value now)])` from its history (who and when of the newest change; None where the record
    keeps no history), or None while the record is still at `version`."""
    model = type(instance)
    if instance.pk is None or version in (None, ""):
        return None
    current = model._base_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
    if current is not None and current == int(version):
        return None
    if not hasattr(model, "history"):
        return Moved(None, None, [])
    newest = model.history.filter(id=instance.pk).order_by("-history_id").first()
    if newest is None:
        return Moved(None, None, [])
    then = model.history.filter(id=instance.pk, version=version).order_by("-history_id").first()
    found = [(change.field, change.old, change.new) for change in differences_between(model, then, newest)]
    return Moved(newest.history_user, newest.history_date, found)


def no_version_error():
    """The refusal of a change to a record that does not say which version it started from."""
    return Refused(
        gettext(
            "This form does not say which version of the record it was filled in from, so saving it could "
            "undo a newer change. Nothing was saved. Open the record again and make your change on it."
        ),
        code="no_version",
    )


def stale_error(instance, version):
    """The refusal of a change started from `version` of a record that has moved on since, naming
    who changed what, when (field: value then → value now); None while it has not moved on."""
    moved = changes_since(instance, version)
    if moved is None:
        return None
    who = moved.who or gettext("someone")
    when = timezone.localtime(moved.when).strftime("%Y-%m-%d %H:%M") if moved.when else "—"
    return Refused(
        with_changes(
            gettext("%(who)s published a change to this record on %(when)s, while you were editing it:")
            % {"who": who, "when": when},
            moved.differences,
            gettext("Nothing was saved. Open the record again to see its current version, and make your change on it."),
        ),
        code="stale",
    )
