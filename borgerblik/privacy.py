"""The GDPR guard: free text that holds a Danish CPR number is refused everywhere in the product."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# DDMMYY, then a space, a dash of any kind (hyphen, en dash, minus sign…) with or without a space on
# either side, or nothing; then four digits; not part of a longer run of digits.
_DASH = "\\-\u2010-\u2015\u2212"
_CPR = re.compile(rf"(?<!\d)(\d{{2}})(\d{{2}})(\d{{2}})(?:[ \u00a0]?[{_DASH}][ \u00a0]?|[ \u00a0])?(\d{{4}})(?!\d)")
# "hedder"/"hed"/"navn"/"navnet er"/"navn:" in any case, then two or more capitalised words.
_NAME_HINT = re.compile(
    r"(?i:\b(?:hedder|hed|navn(?:et)?(?:\s*(?:er|:))?))\s+[A-ZÆØÅ][a-zæøåéü]+(?:[ \-][A-ZÆØÅ][a-zæøåéü]+)+"
)


def _century(seventh_digit: int, year: int) -> int:
    """The century of a CPR number from its seventh digit (CPR-kontoret's rule)."""
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if year <= 36 else 1900
    return 2000 if year <= 57 else 1800


def cpr_numbers_in(text: str) -> list[str]:
    """Every substring that is a CPR number with a real birth date (modulus 11 is not required)."""
    found = []
    for match in _CPR.finditer(text or ""):
        day, month, year, serial = (int(group) for group in match.groups())
        century = _century(int(match.group(4)[0]), year)
        try:
            date(century + year, month, day)
        except ValueError:
            continue
        found.append(match.group(0))
    return found


def contains_cpr(text: str) -> bool:
    return bool(cpr_numbers_in(text))


def looks_like_full_name(text: str) -> bool:
    """A soft hint, never a block: 'hun hedder Anne Hansen' or 'navn: Ole Sørensen'."""
    return bool(_NAME_HINT.search(text or ""))


CPR_MESSAGE = _(
    "Teksten ser ud til at indeholde et CPR-nummer. Fjern det, før du gemmer – borgeren må ikke kunne genkendes."
)
CPR_FIELD_MESSAGE = _(
    "Feltet »%(field)s« ser ud til at indeholde et CPR-nummer. Fjern det, før du gemmer – borgeren må ikke kunne "
    "genkendes."
)
NAME_HINT_MESSAGE = _("Husk: skriv ikke borgerens navn. Teksten ser ud til at indeholde et fuldt navn.")


def validate_no_cpr(value: str) -> None:
    if isinstance(value, str) and contains_cpr(value):
        raise ValidationError(CPR_MESSAGE, code="cpr")


class NoCprFormMixin:
    """Form mixin: every text field is checked, and the message names the field."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            values = value if isinstance(value, list | tuple) else [value]
            if any(isinstance(item, str) and contains_cpr(item) for item in values):
                label = self.fields[name].label or name
                self.add_error(name, ValidationError(CPR_FIELD_MESSAGE, code="cpr", params={"field": label}))
        return cleaned
