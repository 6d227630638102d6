"""Property tests for the CPR detector: every real CPR number is caught, other numbers are not.

The generated numbers are judged by python-stdnum's dk.cpr, an implementation of its own, and are written
the ways text can hold them: with every Unicode dash and space, and in every script's digits.
"""

import sys
import unicodedata
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError as StdnumInvalid

from borgerblik.privacy import contains_cpr, looks_like_full_name


def seventh_digits(year: int) -> list[int]:
    """The serial's first digits that CPR-kontoret's century rule allows for a birth year."""
    yy = year % 100
    allowed = []
    for digit in range(10):
        if digit <= 3:
            century = 1900
        elif digit in (4, 9):
            century = 2000 if yy <= 36 else 1900
        else:
            century = 2000 if yy <= 57 else 1800
        if century + yy == year:
            allowed.append(digit)
    return allowed


@st.composite
def cpr_numbers(draw) -> tuple[str, str]:
    born = draw(st.dates(min_value=date(1858, 1, 1), max_value=date(2057, 12, 31)))
    seventh = draw(st.sampled_from(seventh_digits(born.year)))
    rest = draw(st.integers(min_value=0, max_value=999))
    return born.strftime("%d%m") + f"{born.year % 100:02d}", f"{seventh}{rest:03d}"


# The ways people write a CPR number: run together, with a dash (any kind) or a space, or a spaced dash.
SEPARATORS = ["", "-", " ", "\u00a0", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", " - ", " – "]
# Text around the number; digits of any script would make it part of a longer number.
SURROUNDING = st.text(
    alphabet=st.characters(blacklist_categories=["Nd", "Cs"]),
    max_size=30,
)


@given(cpr=cpr_numbers(), separator=st.sampled_from(SEPARATORS), before=SURROUNDING, after=SURROUNDING)
def test_every_valid_cpr_number_is_caught_in_every_written_form(cpr, separator, before, after):
    birth, serial = cpr
    assert contains_cpr(f"{before}{birth}{separator}{serial}{after}")


@given(
    number=st.integers(min_value=10_000_000, max_value=99_999_999).map(str),
    style=st.sampled_from(
        ["{n}", "+45 {n}", "+45{n}", "0045 {n}", "{a} {b} {c} {d}", "+45 {a} {b} {c} {d}", "{h} {t}"]
    ),
)
def test_phone_numbers_are_not_cpr_numbers(number, style):
    text = style.format(n=number, a=number[:2], b=number[2:4], c=number[4:6], d=number[6:], h=number[:4], t=number[4:])
    assert not contains_cpr(f"Ring til {text} i morgen")


def danish_amount(value: int, ore: int, style: str) -> str:
    grouped = f"{value:,}".replace(",", ".")
    return {
        "dotted": f"{grouped},{ore:02d} kr.",
        "spaced": f"{value:,}".replace(",", " ") + " kr.",
        "plain": f"{value} kr.",
        "decimals": f"{value},{ore:02d}",
        "prefix": f"kr. {grouped}",
    }[style]


@given(
    value=st.integers(min_value=0, max_value=999_999_999),
    ore=st.integers(min_value=0, max_value=99),
    style=st.sampled_from(["dotted", "spaced", "plain", "decimals", "prefix"]),
)
def test_amounts_are_not_cpr_numbers(value, ore, style):
    assert not contains_cpr(f"Regningen lød på {danish_amount(value, ore, style)}")


@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    style=st.sampled_from(["%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d/%m-%Y", "%Y%m%d", "%d%m%Y", "%d.%m.%y"]),
    hour=st.integers(min_value=0, max_value=23),
)
def test_dates_and_times_are_not_cpr_numbers(day, style, hour):
    assert not contains_cpr(f"Mødet var {day.strftime(style)} kl. {hour:02d}.30")


@given(
    year=st.integers(min_value=2000, max_value=2099),
    serial=st.integers(min_value=0, max_value=9_999_999),
    style=st.sampled_from(["{y}-{s:07d}", "{y}-{s}", "Sag nr. {y}/{s}", "J.nr. {y}-{s:07d}"]),
)
def test_case_numbers_are_not_cpr_numbers(year, serial, style):
    assert not contains_cpr(style.format(y=year, s=serial))


@given(first=st.sampled_from(["Anne", "Ole", "Søren", "Åse", "Ida"]), last=st.sampled_from(["Hansen", "Østergaard"]))
def test_a_full_name_after_hedder_or_navn_is_a_hint(first, last):
    for lead in ["Borgeren hedder", "Hun hed", "Navnet er", "navn:", "Hedder"]:
        assert looks_like_full_name(f"{lead} {first} {last}.")
    assert not looks_like_full_name(f"Borgeren hedder {first.lower()} noget")


# --- every script, every dash, every space; python-stdnum as the judge ---------------------------------

EVERY_CHAR = [chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF]
# Unicode's dash punctuation, the minus signs (also super- and subscript), and the full-width and small hyphens.
DASHES = sorted(
    {c for c in EVERY_CHAR if unicodedata.category(c) == "Pd"}
    | {"\u2212", "\u207b", "\u208b", "\u2796", "\u02d7", "\ufe63", "\uff0d"}
)
SPACES = sorted({c for c in EVERY_CHAR if unicodedata.category(c) == "Zs"} | {"\t"})
# The ten digits of every script (each Unicode decimal digit set is ten code points from its zero), and the
# super- and subscript and circled digits a phone's keyboard or a copied text may hold.
SCRIPTS = [
    "".join(chr(ord(zero) + value) for value in range(10))
    for zero in EVERY_CHAR
    if unicodedata.decimal(zero, None) == 0
] + ["⁰¹²³⁴⁵⁶⁷⁸⁹", "₀₁₂₃₄₅₆₇₈₉", "⓪①②③④⑤⑥⑦⑧⑨"]


def stdnum_has_birth_date(number: str) -> bool:
    """python-stdnum's judgement of DDMMYY plus the century from the seventh digit. Its is_valid() would also
    refuse birth dates after today, which a CPR number in a text is no less for."""
    try:
        stdnum_cpr.get_birth_date(number)
    except StdnumInvalid:
        return False
    return True


def _makes_no_digit(char: str) -> bool:
    return not any(c.isdigit() or unicodedata.decimal(c, None) is not None for c in unicodedata.normalize("NFKC", char))


# Text around the number that cannot lengthen it: nothing that is, or normalises to, a digit.
AROUND = st.text(alphabet=st.characters(blacklist_categories=["Cs"]).filter(_makes_no_digit), max_size=20)


@st.composite
def ten_digits(draw) -> str:
    """DDMMYY and four digits: a real calendar date (whose century the serial may contradict) or any digits."""
    if draw(st.booleans()):
        day = draw(st.dates(min_value=date(1858, 1, 1), max_value=date(2057, 12, 31)))
        head = day.strftime("%d%m") + f"{day.year % 100:02d}"
    else:
        head = "".join(f"{draw(st.integers(0, top)):02d}" for top in (39, 19, 99))
    return head + f"{draw(st.integers(0, 9999)):04d}"


def spaced(around: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(st.sampled_from(["", *SPACES]), around, st.sampled_from(["", *SPACES])).map("".join)


SEPARATORS = st.one_of(st.just(""), st.sampled_from(SPACES), spaced(st.sampled_from(DASHES)))


def written(number: str, scripts: list[str], separator: str) -> str:
    digits = "".join(script[int(digit)] for script, digit in zip(scripts, number, strict=True))
    return digits[:6] + separator + digits[6:]


@st.composite
def digit_scripts(draw) -> list[str]:
    """One script for the whole number, or a mix digit by digit."""
    if draw(st.booleans()):
        return [draw(st.sampled_from(SCRIPTS))] * 10
    return draw(st.lists(st.sampled_from(SCRIPTS), min_size=10, max_size=10))


@given(number=ten_digits(), scripts=digit_scripts(), separator=SEPARATORS, before=AROUND, after=AROUND)
def test_the_guard_agrees_with_stdnum_in_every_script_and_with_every_separator(
    number, scripts, separator, before, after
):
    text = f"{before}{written(number, scripts, separator)}{after}"
    assert contains_cpr(text) == stdnum_has_birth_date(number), ascii(text)


@given(number=ten_digits().filter(stdnum_has_birth_date), dash=st.sampled_from(DASHES), space=st.sampled_from(SPACES))
def test_a_real_cpr_number_is_caught_with_any_dash_and_any_space_on_either_side(number, dash, space):
    for separator in (dash, space, f"{space}{dash}", f"{dash}{space}", f"{space}{dash}{space}"):
        assert contains_cpr(f"Hun gav mig {number[:6]}{separator}{number[6:]} i går"), ascii(separator)


def test_the_written_forms_from_the_report_are_caught():
    for text in ["０１０１９０－１２３４", "010190\u202f1234", "010190\u20071234", "010190\u30001234", "٠١٠١٩٠-١٢٣٤"]:
        assert contains_cpr(text), ascii(text)


@given(
    number=st.integers(min_value=10_000_000, max_value=99_999_999).map(str),
    script=st.sampled_from(SCRIPTS),
    space=st.sampled_from(SPACES),
    style=st.sampled_from(["{n}", "+45 {n}", "{a}_{b}_{c}_{d}", "+45_{a}_{b}_{c}_{d}", "{h}_{t}"]),
)
def test_phone_numbers_in_any_script_and_spacing_are_not_cpr_numbers(number, script, space, style):
    digits = "".join(script[int(d)] for d in number)
    text = style.format(n=digits, a=digits[:2], b=digits[2:4], c=digits[4:6], d=digits[6:], h=digits[:4], t=digits[4:])
    assert not contains_cpr(f"Ring til {text.replace('_', space)} i morgen")


@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    script=st.sampled_from(SCRIPTS),
    dash=st.sampled_from(DASHES),
    style=st.sampled_from(["%d-%m-%Y", "%Y-%m-%d", "%d-%m-%y"]),
)
def test_dates_with_any_dash_and_in_any_script_are_not_cpr_numbers(day, script, dash, style):
    written_day = "".join(script[int(c)] if c.isdigit() else dash for c in day.strftime(style))
    assert not contains_cpr(f"Mødet var {written_day} om formiddagen")


@given(
    value=st.integers(min_value=0, max_value=999_999_999),
    ore=st.integers(min_value=0, max_value=99),
    script=st.sampled_from(SCRIPTS),
    space=st.sampled_from(SPACES),
    style=st.sampled_from(["dotted", "spaced", "plain", "decimals", "prefix"]),
)
def test_amounts_in_any_script_and_spacing_are_not_cpr_numbers(value, ore, script, space, style):
    amount = "".join(script[int(c)] if c.isdigit() else c for c in danish_amount(value, ore, style))
    assert not contains_cpr(f"Regningen lød på {amount.replace(' ', space)}")
