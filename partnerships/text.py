"""Text hygiene: what the directory accepts into a text field, and how it keeps stored text from
breaking an output.

An editor can paste characters no reader can see: control characters (U+0001, the vertical
tab, ESC…), bidirectional overrides that reorder what a reviewer reads (U+202E), or half of a
surrogate pair. They are refused at the door with a message naming the character and where
it is; tab and newline are allowed only in multi-line fields. Outputs that cannot carry such
characters at all (XML feeds, Excel cells) remove them as a second line of defence, so that a
value stored before this rule, or written straight to the database, never takes a page down.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

# C0 controls but tab, newline and carriage return; DEL; C1 controls; bidirectional embeddings,
# overrides and isolates; lone surrogates.
_ALWAYS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
FORBIDDEN_INLINE = re.compile(f"[{_ALWAYS}\t\n\r]")
FORBIDDEN_MULTILINE = re.compile(f"[{_ALWAYS}]")
# What XML 1.0 and spreadsheet cells cannot hold at all (tab, newline and return they can).
UNSAFE_IN_OUTPUT = re.compile(f"[{_ALWAYS}]")


def describe(char):
    name = unicodedata.name(char, "") or {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}.get(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def check(value, multiline=False):
    """Raise a ValidationError naming the first character a field may not hold, if any."""
    if not isinstance(value, str):
        return
    pattern = FORBIDDEN_MULTILINE if multiline else FORBIDDEN_INLINE
    match = pattern.search(value)
    if match:
        raise ValidationError(
            _("This text holds an invisible character, %(char)s, at position %(position)s. Retype it without it.")
            % {"char": describe(match.group()), "position": match.start() + 1},
            code="invisible_character",
        )


def clean_text_fields(instance):
    """{field: [error]} for every text field of a record that holds a character it may not."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            try:
                check(getattr(instance, field.attname), multiline=isinstance(field, models.TextField))
            except ValidationError as error:
                errors[field.name] = error.messages
    return errors


def safe_for_output(text):
    """Text an XML feed or a spreadsheet cell can carry: the characters above removed."""
    return UNSAFE_IN_OUTPUT.sub("", text) if isinstance(text, str) else text


class CleanTextModel(models.Model):
    """A model whose text fields refuse invisible characters (see `check`) whenever it is validated:
    in the admin, in an import's preview, and when a reviewer publishes a proposal."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, messages in clean_text_fields(self).items():
            if name not in (exclude or ()):
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)
