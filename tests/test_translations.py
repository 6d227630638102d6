"""English is a complete second language: every message has a translation, none is fuzzy."""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries(catalogue=CATALOGUE):
    """(flags, msgid, msgstrs) for every entry of the catalogue except the header."""
    blocks = catalogue.read_text(encoding="utf-8").split("\n\n")
    for block in blocks:
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not lines:
            continue
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current] += line.strip('"')
            else:
                current, _, value = line.partition(" ")
                fields[current] = value.strip('"')
        if fields.get("msgid") == "":
            continue
        strs = [value for key, value in fields.items() if key.startswith("msgstr")]
        yield flags, fields.get("msgid"), strs


def test_every_message_is_translated_to_english():
    untranslated = [msgid for _, msgid, strs in entries() if not all(strs)]
    assert untranslated == []


def test_no_translation_is_fuzzy():
    fuzzy = [msgid for flags, msgid, _ in entries() if "fuzzy" in flags]
    assert fuzzy == []


def test_the_catalogue_holds_every_message_of_the_code_and_templates(tmp_path, settings, monkeypatch):
    """makemessages on a copy of the project adds, drops or fuzzies nothing: no string is left in Danish."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.skip("gettext is not installed (make test installs it)")
    root = CATALOGUE.parents[3]
    copy = tmp_path / "project"
    for name in ("borgerblik", "sessions", "interviews", "templates", "locale"):
        shutil.copytree(root / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], verbosity=0)
    fresh = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    generated = list(entries(fresh))
    assert [msgid for _, msgid, strs in generated if not all(strs)] == []
    assert [msgid for flags, msgid, _ in generated if "fuzzy" in flags] == []
    assert {msgid for _, msgid, _ in generated} == {msgid for _, msgid, _ in entries()}
