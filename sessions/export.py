"""Spreadsheet export (CSV) of a course's data, at any time, also in the middle of a meeting.

The files open directly in a Danish Excel: UTF-8 with a byte-order mark and semicolons between
columns. A cell that a spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a
carriage return) gets a leading apostrophe, so text typed on a phone can never run as a formula.
Names are only exported where the course is not anonymous, as in the printables.
"""

import csv
import io
from collections import Counter
from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from interviews.models import ReflectionSheet

from .models import Card, Course, Experience, FieldKind, MethodProposal, Surprise, Vote
from .printables import sheet_rows, show_names

# What a spreadsheet may read as the start of a formula, also after leading blanks or in full width.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

EXPORTS = {
    "kort": gettext_lazy("Kort fra opsamlingsmødet"),
    "ark": gettext_lazy("Afleverede refleksionsark"),
    "forslag": gettext_lazy("Forslag og prikker"),
    "stemmer": gettext_lazy("Stemmer om servicemødet"),
    "opfoelgning": gettext_lazy("Fastholde · Udvikle · Stoppe og overraskelser"),
}


def safe(value) -> str:
    """A cell as text; one that could be read as a formula is made plain text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, list):
        value = " | ".join(str(item) for item in value)
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    text = str(value)
    return (
        "'" + text if text.startswith(FORMULA_START) or text.lstrip(" \u00a0\n\r\t").startswith(FORMULA_START) else text
    )


def to_csv(header: list, rows: Iterable[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe(cell) for cell in header])
    for row in rows:
        writer.writerow([safe(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def cards(course: Course, manager: bool = False) -> bytes:
    """Every card; hidden (moderated) ones only for the course's facilitators, as on the dashboard."""
    names = show_names(course)
    found = Card.objects.filter(course=course)
    merged = Count("merged_cards")
    if not manager:
        found = found.filter(hidden=False)
        merged = Count("merged_cards", filter=Q(merged_cards__hidden=False))
    rows = list(found.select_related("author").annotate(merged=merged).order_by("zone", "created_at", "pk"))
    header = [_("Nr."), _("Zone"), _("Tekst"), _("Antal ens kort"), _("Slået sammen med nr."), _("Stjerne"),
              _("Skjult"), _("Skrevet")] + ([_("Skrevet af")] if names else [])  # fmt: skip
    return to_csv(
        header,
        (
            [
                card.pk,
                card.get_zone_display(),
                card.text,
                1 + card.merged if not card.merged_into_id else "",
                card.merged_into_id or "",
                card.starred,
                card.hidden,
                card.created_at,
            ]
            + ([card.author.display_name if card.author else ""] if names else [])  # fmt: skip
            for card in rows
        ),
    )


def _cell(field, value):
    """An answer as the sheet shows it: a point of the scale with its words, e.g. "4 – God"."""
    if field.kind == FieldKind.SCALE and value:
        return f"{value} – {Experience(value).label}"
    return value


def sheets(course: Course, manager: bool = False) -> bytes:
    names = show_names(course)
    found = list(
        ReflectionSheet.objects.of_course(course)
        .handed_in()
        .select_related("participant")
        .order_by("participant__joined_at", "created_at", "pk")
    )
    rows = sheet_rows(course, found)
    fields = [field for field, _value in rows[0]["answers"]] if rows else list(course.tool.sheet_fields.all())
    header = [_("Ark"), _("Afleveret")] + ([_("Deltager")] if names else []) + [f.label for f in fields]
    return to_csv(
        header,
        (
            [row["number"], row["sheet"].submitted_at]
            + ([row["author"]] if names else [])
            + [_cell(field, value) for field, value in row["answers"]]
            for row in rows
        ),
    )


def proposals(course: Course, manager: bool = False) -> bytes:
    methods = (
        MethodProposal.objects.filter(course=course)
        .annotate(n=Count("dots"), on_behalf=Count("dots", filter=Q(dots__participant__isnull=True)))
        .order_by("-n", "pk")
    )
    header = [_("Forslag"), _("Prikker"), _("Heraf for deltagere uden telefon"), _("Skrevet")]
    return to_csv(header, ([m.text, m.n, m.on_behalf, m.created_at] for m in methods))


def votes(course: Course, manager: bool = False) -> bytes:
    counts = Counter(Vote.objects.filter(course=course).values_list("touchpoint__name", flat=True))
    for name in course.workplace.touchpoints.active().values_list("name", flat=True):
        counts.setdefault(name, 0)  # the whole list the room voted from, also those nobody chose
    chosen = course.chosen_touchpoint.name if course.chosen_touchpoint else ""
    header = [_("Servicemøde"), _("Stemmer"), _("Valgt")]
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return to_csv(header, ([name, n, name == chosen] for name, n in rows))


def followup(course: Course, manager: bool = False) -> bytes:
    header = [_("Liste"), _("Tekst")]
    rows = [[d.get_kind_display(), d.text] for kind in course.decisions.grouped().values() for d in kind]
    rows += [
        [_("Overraskelse, gruppe %(number)d") % {"number": s.group.number}, s.text]
        for s in Surprise.objects.filter(group__course=course).select_related("group").order_by("group__number", "pk")
    ]
    rows += [[_("Prøvehandling"), t.title] for t in course.trial_actions.order_by("pk")]
    return to_csv(header, rows)


WRITERS = {"kort": cards, "ark": sheets, "forslag": proposals, "stemmer": votes, "opfoelgning": followup}
