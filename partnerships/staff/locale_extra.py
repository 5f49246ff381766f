"""Interface strings of packages that ship no Japanese translation, marked here so that
`make messages` keeps them in the project's catalogue (locale/ja), which Django consults first.

django-simple-history (the staff's history and restore pages) has no Japanese catalogue; its
strings below are exactly those of its templates and admin, so the history pages read in
Japanese like the rest of the admin. Nothing imports this module: it exists to be read by
`makemessages`.
"""

from django.utils.translation import gettext_noop, ngettext

SIMPLE_HISTORY = [
    gettext_noop("Object"),
    gettext_noop("Date/time"),
    gettext_noop("Comment"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    gettext_noop("None"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Deleted %(type_name)s"),
    gettext_noop("History"),
    gettext_noop("Revert"),
    gettext_noop("Close"),
    gettext_noop("Change History"),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("View %s"),
    gettext_noop("Revert %s"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("You may edit it again below"),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
]


def _plurals(count):
    return ngettext("entry", "entries", count)
