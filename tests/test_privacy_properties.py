"""Property tests for the CPR detector: every real CPR number is caught, other numbers are not."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

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
