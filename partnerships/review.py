"""Who publishes and who proposes: every change to the directory goes through `submit`.

A reviewer's change is published at once, with its author and whole reason in the record's
history; an editor's waits in the review queue (`ChangeRequest`) until a reviewer publishes or
rejects it. The admin's forms, the spreadsheet import and the history page's "restore" all call
`submit`, so the rule lives here once.
"""

from partnerships.models import ChangeRequest
from partnerships.models.review import publish, serialize_value, snapshot

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


def submit(instance, values, user, reason, new_sources=(), import_batch="", new_partners=()):
    """One addition or change, with the reason for it.

    `values` maps field names to values from a valid form, many-to-many fields to lists of
    records; `new_sources` are [{"url", "title"}] and `new_partners` [{"field", "name", "kind",
    "country", "parent"…}] the directory does not have yet, created with it. Returns the
    published record (a reviewer), the `ChangeRequest` (an editor), or None when nothing would
    change."""
    if not changes_anything(instance, values, new_sources, new_partners):
        return None
    if not can_publish(user):
        return ChangeRequest.propose(
            instance, values, user, reason, new_sources, import_batch=import_batch, new_partners=new_partners
        )
    model = type(instance)
    fields = {name: value for name, value in values.items() if not model._meta.get_field(name).many_to_many}
    many = {name: value for name, value in values.items() if model._meta.get_field(name).many_to_many}
    if import_batch:
        reason = f"Import {import_batch}: {reason}"
    return publish(instance, fields, many, user, reason, new_sources, new_partners)


def version_of(instance):
    """The version of a published record an edit starts from: its newest history entry (0 for none)."""
    if instance.pk is None or not hasattr(type(instance), "history"):
        return 0
    return (
        type(instance)
        .history.filter(id=instance.pk)
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
        or 0
    )


def changes_since(instance, version):
    """What others have published to this record since `version`: (newest history entry,
    [(field name, value then, value now)]), or (None, []) when nothing has."""
    model = type(instance)
    if instance.pk is None or not version or not hasattr(model, "history"):
        return None, []
    newest = model.history.filter(id=instance.pk).order_by("-history_id").first()
    if newest is None or newest.history_id == int(version):
        return None, []
    then = model.history.filter(history_id=version).first()
    if then is None:
        return newest, []
    differences = []
    for field in model._meta.concrete_fields:
        if field.primary_key or not field.editable:
            continue
        before, after = getattr(then, field.attname), getattr(newest, field.attname)
        if before != after:
            differences.append((field.verbose_name, before, after))
    return newest, differences
