import pytest
from django import forms
from django.core.exceptions import ValidationError

from borgerblik.privacy import NoCprFormMixin, contains_cpr, looks_like_full_name, validate_no_cpr


@pytest.mark.parametrize(
    "text",
    ["0102031234", "010203-1234", "010203 1234", "Hun har cpr 241299-4000 og ringede", "290200-4123"],
)
def test_it_finds_cpr_numbers_in_every_written_form(text):
    assert contains_cpr(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ring på 20 30 40 50",
        "+4520304050",
        "Beløbet var 1.234.567,00 kr.",
        "Sag 2018-0145955",
        "Mødet er 12.03.2026 kl. 10",
        "3202031234",  # 32nd day
        "290201-1234",  # 1901 was not a leap year
        "01020312345",  # eleven digits
    ],
)
def test_it_accepts_numbers_that_are_not_cpr_numbers(text):
    assert not contains_cpr(text)


def test_the_century_rule_decides_leap_days():
    assert contains_cpr("290200-4123")  # seventh digit 4 and year 00: 2000, a leap year
    assert not contains_cpr("290200-1234")  # seventh digit 1: 1900, not a leap year


def test_the_validator_refuses_in_danish():
    with pytest.raises(ValidationError, match="CPR-nummer"):
        validate_no_cpr("010203-1234")


def test_a_full_name_is_a_hint():
    assert looks_like_full_name("Borgeren hedder Anne Hansen")
    assert not looks_like_full_name("Borgeren hed ikke noget")


class NoteForm(NoCprFormMixin, forms.Form):
    note = forms.CharField(label="Det overraskede mig")


def test_the_form_names_the_field_and_keeps_the_text():
    form = NoteForm(data={"note": "cpr 010203-1234"})
    assert not form.is_valid()
    assert "Det overraskede mig" in form.errors["note"][0]
    assert form["note"].value() == "cpr 010203-1234"
