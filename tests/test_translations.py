"""English is a complete second language: every message has a translation, none is fuzzy."""

from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries():
    """(flags, msgid, msgstrs) for every entry of the catalogue except the header."""
    blocks = CATALOGUE.read_text(encoding="utf-8").split("\n\n")
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
