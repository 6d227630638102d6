"""The GDPR guard: free text that holds a Danish CPR number is refused everywhere in the product."""

import re
import unicodedata
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Read on the normalised text (see normalised()): DDMMYY, then a space, a dash with or without a space on
# either side, or nothing; then four digits; not part of a longer run of digits.
_CPR = re.compile(r"(?<![0-9])([0-9]{2})([0-9]{2})([0-9]{2})(?: ?- ?| )?([0-9]{4})(?![0-9])")
# Dashes that are not in Unicode's dash category (Pd): minus signs (NFKC turns the super- and subscript
# minus into U+2212), the hyphen bullet, box-drawing lines and the Japanese long-vowel mark.
_OTHER_DASHES = frozenset("\u2212\u2796\u02d7\u2043\u2500\u2501\u23af\u30fc")
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


@lru_cache(maxsize=4096)
def _folded(char: str) -> str:
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)  # a digit of any script (full width, Arabic-Indic, Devanagari…) as an ASCII digit
    category = unicodedata.category(char)
    if category == "Pd" or char in _OTHER_DASHES:
        return "-"
    if category == "Zs" or char == "\t":
        return " "
    if category == "Cf":
        return ""  # invisible: soft hyphen, zero-width space and joiners, direction marks
    return char


def normalised(text: str) -> str:
    """The text as the CPR rule reads it: NFKC, then every dash '-', every space ' ', every decimal digit
    an ASCII digit, and invisible formatting characters gone."""
    text = unicodedata.normalize("NFKC", text or "")
    if text.isascii():
        return text.replace("\t", " ")
    return "".join(_folded(char) for char in text)


@lru_cache(maxsize=4096)
def _digit_like(char: str) -> bool:
    """Not a decimal digit, but NFKC makes one of it: superscripts, circled digits, '⒈', '㏠'…"""
    return unicodedata.decimal(char, None) is None and any(c.isdigit() for c in unicodedata.normalize("NFKC", char))


def _readings(text: str) -> list[str]:
    """The normalised text, and, when it holds digit-like signs, the normalised text with each of them
    standing apart: a footnote mark after a number ('010190-1234¹') does not lengthen it."""
    text = text or ""
    if text.isascii():
        return [normalised(text)]
    readings = [normalised(text)]
    if any(_digit_like(char) for char in text):
        readings.append(normalised("".join("\ufffd" if _digit_like(char) else char for char in text)))
    return readings


def cpr_numbers_in(text: str) -> list[str]:
    """Every CPR number with a real birth date (modulus 11 is not required), as the normalised text has it."""
    found = []
    for match in (match for reading in _readings(text) for match in _CPR.finditer(reading)):
        day, month, year, serial = (int(group) for group in match.groups())
        century = _century(int(match.group(4)[0]), year)
        try:
            date(century + year, month, day)
        except ValueError:
            continue
        if match.group(0) not in found:
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
