"""The two staff roles, as Django groups with permissions.

- Editors (consulate officers): view, add and change every kind of record and import files;
  what they add or change waits for review. They cannot delete or publish.
- Reviewers: everything editors can, and publish or reject changes, and delete records.

Both read readers' reports (/report/) and mark them acted on or dismissed.

The public reads published records and needs no account. `ensure_roles()` is idempotent; it
runs after every migrate, so a fresh database always has both groups.
"""

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
REVIEWERS = "Reviewers"
RECORD_MODELS = ["partner", "relationship", "agreement", "program", "participation", "source", "topic"]


def _codenames(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


ROLE_PERMISSIONS = {
    EDITORS: _codenames(["view", "add", "change"], RECORD_MODELS)
    + ["view_changerequest", "add_changerequest", "import_records", "view_report", "change_report"],
    REVIEWERS: _codenames(["view", "add", "change", "delete"], RECORD_MODELS)
    + ["view_changerequest", "add_changerequest", "change_changerequest", "publish_changerequest", "import_records"]
    + ["view_report", "change_report", "delete_report"],
}


def ensure_roles():
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="partnerships", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions not found for role {name}: {sorted(missing)}")
        group.permissions.set(permissions)
