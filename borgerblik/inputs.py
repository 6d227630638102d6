"""Request data checked before it is used: ids parsed strictly, text without NUL bytes, one-line fields on one line.

str.isdigit() says yes to "²" and "١", which int() refuses or reads as another number; PostgreSQL refuses
NUL in text columns; a line break in a one-line field ends up in e-mail headers and calendar lines.
Each of these is refused with a Danish message, and the views keep what was typed.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only; eighteen stay inside a 64-bit integer

BAD_ID_MESSAGE = _("Formularen sendte et valg, der ikke kan læses. Genindlæs siden, og prøv igen.")
NUL_MESSAGE = _("Teksten indeholder et usynligt nul-tegn, som ikke kan gemmes. Slet det, og prøv igen.")
ONE_LINE_MESSAGE = _(
    "Feltet skal stå på én linje. Fjern linjeskift, tabulatorer og andre usynlige styretegn, og prøv igen."
)


class MalformedInput(ValidationError):
    """Request data no form of ours sends (a garbled or tampered id): the view answers 400."""


def parse_id(value) -> int:
    """A database id from request data, or MalformedInput."""
    if isinstance(value, str) and _ID.fullmatch(value):
        return int(value)
    raise MalformedInput(BAD_ID_MESSAGE, code="bad_id")


def id_or_none(value) -> int | None:
    try:
        return parse_id(value)
    except MalformedInput:
        return None


def _breaks_the_line(char: str) -> bool:
    return unicodedata.category(char) == "Cc" or char in "\u2028\u2029"


def validate_no_nul(value) -> None:
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")


def validate_one_line(value) -> None:
    """No control characters (CR, LF, tab, NUL…) and no Unicode line or paragraph separator."""
    validate_no_nul(value)
    if isinstance(value, str) and any(_breaks_the_line(char) for char in value):
        raise ValidationError(ONE_LINE_MESSAGE, code="one_line")


def guard_text_field(field: forms.Field) -> None:
    """A text field refuses NUL in Danish; one rendered as <input> (not a textarea) also stays on one line."""
    if not isinstance(field, forms.CharField):
        return
    check = validate_no_nul if isinstance(field.widget, forms.Textarea) else validate_one_line
    kept = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator) and v is not check]
    field.validators = [*kept, check]


class TextGuardFormMixin:
    """Form mixin: every text field is guarded when the form is cleaned, also fields added in __init__."""

    def full_clean(self):
        for field in self.fields.values():
            guard_text_field(field)
        super().full_clean()
