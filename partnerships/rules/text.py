"""Text hygiene: what the directory accepts into a text field, and how it keeps stored text from
breaking an output.

An editor can paste characters no reader can see, and a file can carry them in any cell: control
characters (U+0001, the vertical tab, ESC…), bidirectional overrides that reorder what a reviewer
reads (U+202E), a zero-width space or a byte-order mark that makes two names of "Kobe" that look
alike, line separators (U+2028), half of a surrogate pair, or a noncharacter (U+FFFF) that XML
cannot carry at all. One rule (`check`) refuses them on every way in: admin forms and their
reasons, the public report form, every cell of an import and its confirmation, the bundled data's
loader; the message names the character and where it is. Tab and newline are allowed only in
multi-line fields.

One function (`safe_for_output`) removes them on every way out: pages, JSON and feeds at the
response (`middleware.CleanOutputMiddleware`), CSV and Excel cell by cell, so that a value stored
before this rule, or written straight to the database, never makes an output ill-formed.

The zero-width joiner and non-joiner (U+200D, U+200C) are the one exception. Inside an emoji
sequence (woman + ZWJ + laptop, a flag + ZWJ + rainbow) or after a combining mark they are part of
what the text says, so they are accepted where they join: right after an emoji, a modifier or a
mark, and before a visible character. Anywhere else (at an edge, beside a space, between two
letters, kana and kanji included, where Japanese text has no use for them) they only hide a
difference and are refused. Outputs keep them: they cannot make a file ill-formed.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

# C0 controls but tab, newline and carriage return; DEL; C1 controls; lone surrogates.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
# Noncharacters: U+FDD0–U+FDEF and the last two code points of each of the 17 planes.
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff"
_ASTRAL_NONCHARACTERS = "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(1, 17))
# The line and paragraph separators: line breaks no field's lines are made of.
_SEPARATORS = "\u2028\u2029"
# Format characters (Unicode category Cf, as of Unicode 14, Python 3.11's unicodedata;
# tests/test_text.py checks the list against the running Python's): soft hyphen, Arabic number
# signs, Mongolian vowel separator, zero-width space, bidirectional marks, embeddings, overrides
# and isolates, word joiner and invisible operators, byte-order mark, interlinear annotation;
# beyond U+FFFF, Kaithi and Egyptian format controls, shorthand format controls, musical
# formatting, tag characters.
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
_ASTRAL_FORMAT = (
    "\\U000110bd\\U000110cd\\U00013430-\\U00013438\\U0001bca0-\\U0001bca3\\U0001d173-\\U0001d17a"
    "\\U000e0001\\U000e0020-\\U000e007f"
)
JOINERS = "\u200c\u200d"  # zero-width non-joiner and joiner: allowed where they join (`joins`)
_ALWAYS = _CONTROLS + _NONCHARACTERS + _SEPARATORS + _FORMAT
_ASTRAL = re.compile(f"[{_ASTRAL_NONCHARACTERS}{_ASTRAL_FORMAT}]")
# Python's re tests a class's ranges beyond U+FFFF one by one, which made a page's check 15 times
# slower; the patterns take every character beyond it as a candidate, in one range, and `unsafe`
# keeps those in the lists above (emoji, the usual characters out there, are not).
_BEYOND_BMP = "\U00010000-\U0010ffff"
FORBIDDEN_INLINE = re.compile(f"[{_ALWAYS}{JOINERS}\t\n\r{_BEYOND_BMP}]")
FORBIDDEN_MULTILINE = re.compile(f"[{_ALWAYS}{JOINERS}{_BEYOND_BMP}]")
# What outputs remove: everything refused everywhere (tab, newline and return stay; joiners too).
UNSAFE_IN_OUTPUT = re.compile(f"[{_ALWAYS}{_BEYOND_BMP}]")
NONCHARACTER = re.compile(f"[{_NONCHARACTERS}{_ASTRAL_NONCHARACTERS}]")
# What a joiner may follow: an emoji or other symbol, an emoji modifier, a combining mark
# (a variation selector, a virama, a keycap).
_JOINED_AFTER = {"So", "Sk", "Mn", "Mc", "Me"}


def unsafe(char):
    """Whether no output may carry `char`."""
    return bool(UNSAFE_IN_OUTPUT.match(char)) and (char <= "\uffff" or bool(_ASTRAL.match(char)))


def describe(char):
    """The code point, with its name where it has one: "U+200B (ZERO WIDTH SPACE)"."""
    names = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}
    name = unicodedata.name(char, "") or names.get(char) or ("NONCHARACTER" if NONCHARACTER.match(char) else "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def joins(value, index):
    """Whether the joiner at `index` joins: after an emoji, a modifier or a mark, before a visible character."""
    if index == 0 or index + 1 >= len(value):
        return False
    following = value[index + 1]
    return (
        unicodedata.category(value[index - 1]) in _JOINED_AFTER
        and not following.isspace()
        and not (following in JOINERS or unsafe(following))
    )


def forbidden(value, multiline=False):
    """The first character of `value` a field may not hold, as a match (None when there is none)."""
    pattern = FORBIDDEN_MULTILINE if multiline else FORBIDDEN_INLINE
    for match in pattern.finditer(value):
        char = match.group()
        if char > "\uffff" and not unsafe(char):
            continue  # an emoji, a rare kanji: a candidate only (see FORBIDDEN_INLINE)
        if not (char in JOINERS and joins(value, match.start())):
            return match
    return None


def check(value, multiline=False):
    """Raise a ValidationError naming the first character a field may not hold, if any."""
    if not isinstance(value, str):
        return
    match = forbidden(value, multiline)
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
    """Text any output can carry (an XML feed, a page, a spreadsheet cell): what `check` refuses
    everywhere removed. The one function every output uses."""
    if not isinstance(text, str):
        return text
    return UNSAFE_IN_OUTPUT.sub(lambda match: "" if unsafe(match.group()) else match.group(), text)


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
