"""The printed documents of a course (M1–M4, the meeting script, the leader's summary): their data and rendering.

Each document is a template under `templates/print/` and a function that reads what it prints.
`course_fingerprint` sums up everything a document may print, so an unchanged document is served
from the shared cache instead of being rendered again.
"""

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from borgerblik.pdf import cached_pdf, forget_pdfs, print_key, render_pdf
from interviews.models import ReflectionSheet, SheetStatus

from .mailings import mail_subject
from .models import (
    Activity,
    AgendaItem,
    AgendaPhase,
    ChecklistStage,
    Course,
    Experience,
    FieldKind,
    Group,
    GroupKind,
    MailingKind,
    MethodProposal,
    Participant,
    Photo,
    Surprise,
    Vote,
    Zone,
    fill_placeholders,
)
from .photos import print_bytes


@dataclass(frozen=True)
class Document:
    name: str  # the URL's <name>.pdf
    template: str
    title: Any
    facilitator_only: bool = False


DOCUMENTS = {
    doc.name: doc
    for doc in [
        Document("m1", "print/m1_guide.html", _("M1 Spørgeguide til borger")),
        Document("m2", "print/m2_sheet.html", _("M2 Refleksionsark")),
        Document("m2-udfyldt", "print/m2_sheet.html", _("M2 Refleksionsark – udfyldte"), facilitator_only=True),
        Document("m3", "print/m3_programme.html", _("M3 Program – opsamlingsmøde")),
        Document("m4", "print/m4_cut_cards.html", _("M4 Kort med positive og negative oplevelser")),
        Document("kort", "print/meeting_cards.html", _("Kortene fra opsamlingsmødet")),
        Document("drejebog", "print/script.html", _("Drejebog for facilitator")),
        Document("opsamling", "print/summary.html", _("Opsamling")),
    ]
}
# The participant's own filled sheets, downloaded from the phone.
OWN_SHEETS = Document("mine-ark", "print/m2_sheet.html", _("M2 Mine refleksionsark"))


def printable_documents(user, course: Course) -> list[Document]:
    """The documents this user may download for the course (leaders do not get everyone's sheets)."""
    manages = course.is_managed_by(user)
    return [doc for doc in DOCUMENTS.values() if manages or not doc.facilitator_only]


def course_for_print(course_id: int) -> Course:
    return (
        Course.objects.with_template()
        .prefetch_related(
            "tool__questions",
            "tool__sheet_fields",
            "tool__checklist_items",
        )
        .get(pk=course_id)
    )


def _digest(rows) -> str:
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def course_fingerprint(course: Course) -> str:
    """A hash of everything the documents print; it changes whenever any of it changes.

    A fixed number of queries (rows are hashed, not rendered), so it stays cheap for large courses.
    """
    tool = course.tool
    parts = [
        _digest(
            Course.objects.filter(pk=course.pk).values_list(
                "updated_at",
                "title",
                "anonymous",
                "workplace__name",
                "chosen_touchpoint",
                "proposed_touchpoint",
                "texts",
            )
        ),
        _digest(course.workplace.touchpoints.values_list("pk", "name", "archived", "position")),
        _digest(AgendaItem.objects.filter(tool=tool).values_list("pk", "number", "title", "duration_minutes", "phase")),
        _digest(Activity.objects.filter(agenda_item__tool=tool).values_list("pk", "title", "prompt", "timer_minutes")),
        _digest(tool.questions.values_list("pk", "text", "help_text")),
        _digest(tool.sheet_fields.values_list("pk", "key", "label", "help_text", "kind", "choices")),
        _digest(tool.checklist_items.values_list("pk", "stage", "text")),
        _digest(tool.materials.values_list("pk", "code", "title", "print_note")),
        _digest(course.participants.values_list("pk", "display_name")),
        _digest(ReflectionSheet.objects.of_course(course).aggregate(n=Count("pk"), last=Max("updated_at")).items()),
        _digest(course.cards.values_list("pk", "zone", "text", "merged_into", "hidden", "starred")),
        _digest(course.groups.values_list("pk", "kind", "number", "notes").annotate(n=Count("members"))),
        _digest(course.votes.aggregate(n=Count("pk"), last=Max("created_at")).items()),
        _digest(course.photos.values_list("pk", "caption")),
        _digest(Surprise.objects.filter(group__course=course).values_list("pk", "group_id", "text")),
        _digest(MethodProposal.objects.filter(course=course).annotate(n=Count("dots")).values_list("pk", "text", "n")),
        _digest(course.decisions.shown().values_list("pk", "kind", "text")),
        _digest(course.trial_actions.values_list("pk", "updated_at")),
    ]
    return hashlib.sha256("".join(parts).encode()).hexdigest()


def questions(course: Course) -> list[tuple[Any, str]]:
    values = course.placeholders()
    return [(q, fill_placeholders(course.question_text(q), values)) for q in course.tool.questions.all()]


def checklist(course: Course, stage: str) -> list[str]:
    return [item.text for item in course.tool.checklist_items.all() if item.stage == stage]


def show_names(course: Course) -> bool:
    """Names are printed only where the course is not anonymous (a participant signs by giving a name)."""
    return not course.anonymous


def sheet_rows(course: Course, sheets) -> list[dict]:
    """Sheets with their answers in the order of the tool's fields, ready for the template."""
    fields = list(course.tool.sheet_fields.all())
    names = show_names(course)
    rows = []
    number = 0
    for sheet in sheets:
        number += 0 if sheet.is_example else 1  # the facilitator's example is the example, not interview no. 1
        answers = []
        for field in fields:
            if field.key == "interviewed_on":
                value = sheet.interviewed_on
            elif field.key == "experience":
                value = sheet.experience
            elif field.kind == "items":
                value = sheet.items(field.key)
            else:
                value = sheet.answers.get(field.key, "")
            answers.append((field, value))
        rows.append(
            {
                "number": None if sheet.is_example else number,
                "sheet": sheet,
                "author": sheet.participant.display_name if names else "",
                "answers": answers,
            }
        )
    return rows


def card_tree(course: Course) -> dict[str, list[dict]]:
    """Visible cards that were not merged into another, starred first, then by how many were merged in."""
    cards = list(course.cards.filter(hidden=False).select_related("author").order_by("created_at", "pk"))
    merged = Counter(card.merged_into_id for card in cards if card.merged_into_id)
    merged_texts: dict[int, list[str]] = {}
    for card in cards:
        if card.merged_into_id:
            merged_texts.setdefault(card.merged_into_id, []).append(card.text)
    names = show_names(course)
    zones: dict[str, list[dict]] = {Zone.NEGATIVE: [], Zone.POSITIVE: []}
    for card in cards:
        if card.merged_into_id:
            continue
        zones[card.zone].append(
            {
                "card": card,
                "count": 1 + merged[card.pk],
                "merged_texts": merged_texts.get(card.pk, []),
                "author": card.author.display_name if names and card.author else "",
            }
        )
    for entries in zones.values():
        entries.sort(key=lambda entry: (not entry["card"].starred, -entry["count"]))
    return zones


def experience_chart(sheets) -> dict:
    """Counts of the five-point experience scale, with bar geometry for the SVG."""
    counts = Counter(sheet.experience for sheet in sheets if sheet.experience)
    total = sum(counts.values())
    top = max(counts.values(), default=0) or 1
    labels = dict(Experience.choices)
    bars = []
    for index, score in enumerate(range(1, 6)):
        height = round(120 * counts[score] / top)
        bars.append(
            {
                "score": score,
                "label": labels[score],
                "count": counts[score],
                "x": 50 + index * 90,
                "height": height,
                "y": 150 - height,
            }
        )
    average = sum(score * n for score, n in counts.items()) / total if total else None
    return {"bars": bars, "total": total, "average": average}


def photo_opener_for(course: Course):
    """Reads a photo of this course only (any other id gives nothing)."""

    def opener(photo_id: int, variant: str) -> bytes | None:
        photo = Photo.objects.filter(course=course, pk=photo_id).first()
        if photo is None:
            return None
        if variant == "thumbnail":
            with photo.thumbnail.open("rb") as handle:
                return handle.read()
        return print_bytes(photo)  # fitted to the printed size, not the 1600-pixel photo

    return opener


def base_context(course: Course) -> dict:
    return {"course": course, "touchpoint": course.touchpoint, "printed_on": timezone.localdate()}


def m1_context(course: Course, **_kwargs) -> dict:
    return {
        **base_context(course),
        "questions": questions(course),
        "advice": checklist(course, ChecklistStage.INTERVIEW),
    }


# Writing lines per field of the blank M2: the interview's answers get the most room.
M2_LINES = {FieldKind.DATE: 1, FieldKind.TEXT: 1, FieldKind.ITEMS: 5, FieldKind.LONG_TEXT: 5}


def m2_fields(course: Course) -> list[dict]:
    """The sheet's fields with the interview question each answers (as asked in this course) and, for the
    blank sheet, its writing lines. The fields after the last answer to a question start the second page:
    the interview on one page, the reflection on the other, both filled."""
    asked = {question.pk: text for question, text in questions(course)}
    fields = list(course.tool.sheet_fields.all())
    answered = [index for index, field in enumerate(fields) if field.question_id in asked]
    turn = answered[-1] + 1 if answered and answered[-1] + 1 < len(fields) else None
    return [
        {
            "field": field,
            "question": asked.get(field.question_id, ""),
            "lines": range(M2_LINES.get(field.kind, 0) + (2 if field.question_id in asked else 0)),
            "new_page": index == turn,
        }
        for index, field in enumerate(fields)
    ]


def m2_context(course: Course, *, sheets=None, **_kwargs) -> dict:
    fields = m2_fields(course)
    rows = sheet_rows(course, sheets) if sheets is not None else None
    for row in rows or []:
        answers = []
        for entry, (field, value) in zip(fields, row["answers"], strict=True):
            label = Experience(value).label if field.kind == FieldKind.SCALE and value else ""
            answers.append({**entry, "value": value, "label": label})
        row["answers"] = answers
    return {
        **base_context(course),
        "fields": fields,
        "sheets": rows,
        "scale": Experience.choices,
    }


def m3_context(course: Course, **_kwargs) -> dict:
    return {**base_context(course), "agenda": course.agenda(AgendaPhase.FOLLOWUP)}


def m4_context(course: Course, **_kwargs) -> dict:
    return {**base_context(course), "per_page": range(8), "zones": [Zone.POSITIVE, Zone.NEGATIVE]}


def in_pairs(entries: list) -> list[list]:
    return [entries[i : i + 2] for i in range(0, len(entries), 2)]


def meeting_cards_context(course: Course, **_kwargs) -> dict:
    zones = card_tree(course)
    return {
        **base_context(course),
        "negative_rows": in_pairs(zones[Zone.NEGATIVE]),
        "positive_rows": in_pairs(zones[Zone.POSITIVE]),
        "card_total": course.cards.filter(hidden=False).count(),
    }


def invitation_mail(course: Course) -> dict:
    """The e-mail that follows the kick-off, as Borgerblik sends it from the invitation page (where the
    participants' links are added), for the printed drejebog."""
    sender = course.created_by
    context = {
        "course": course,
        "touchpoint": course.touchpoint.name if course.touchpoint else "",
        "meeting": timezone.localtime(course.meeting_starts_at) if course.meeting_starts_at else None,
        "sender": (sender.get_full_name() or sender.get_username()) if sender else "",
    }
    # A plain str, not the SafeString render_to_string gives: the .txt renders typed text unescaped.
    body = str.__str__(render_to_string("sessions/email/invitation.txt", context)).strip()
    body = re.sub(r"\n{3,}", "\n\n", body)  # the lines of the links it leaves out
    return {"subject": mail_subject(course, MailingKind.INVITATION), "body": body}


def script_context(course: Course, **_kwargs) -> dict:
    """The facilitator's drejebog as the guide has it: preparation, materials, the questions, both meetings
    with their prompts, the e-mail after the kick-off, and the follow-up."""
    values = course.placeholders()
    agenda = course.agenda()
    for entry in agenda:
        entry.prompts = [
            (activity, fill_placeholders(course.prompt_text(activity), values)) for activity in entry.activities.all()
        ]
    before = [ChecklistStage.BEFORE_KICKOFF, ChecklistStage.BEFORE_MEETING, ChecklistStage.MEETING_DAY]
    return {
        **base_context(course),
        "materials": list(course.tool.materials.order_by("code")),
        "preparation": [(ChecklistStage(stage).label, checklist(course, stage)) for stage in before],
        "advice": checklist(course, ChecklistStage.INTERVIEW),
        "kickoff": [entry for entry in agenda if entry.phase == AgendaPhase.KICKOFF],
        "mail": invitation_mail(course),
        "meeting": [entry for entry in agenda if entry.phase == AgendaPhase.FOLLOWUP],
        "followup": checklist(course, ChecklistStage.FOLLOWUP),
        "questions": questions(course),
    }


def summary_context(course: Course, **_kwargs) -> dict:
    """The leader's summary.

    The surprises are what the groups posted in the meeting plus any notes typed for a group; the
    methods are the meeting's proposals ranked by dots. The leader's follow-up adds `decisions`
    ({"keep": [...], "develop": [...], "stop": [...]}, printed when any is set) and `trial_actions`.
    """
    sheets = list(
        ReflectionSheet.objects.of_course(course)
        .handed_in()
        .select_related("participant")
        .order_by("participant__joined_at", "created_at", "pk")
    )
    zones = card_tree(course)
    names = show_names(course)
    groups = list(
        Group.objects.filter(course=course, kind=GroupKind.SURPRISES)
        .prefetch_related(
            Prefetch("members", queryset=Participant.objects.order_by("joined_at", "pk")),
            Prefetch("surprises", queryset=Surprise.objects.order_by("created_at", "pk")),
        )
        .order_by("number")
    )
    surprise_groups = [
        {
            "number": group.number,
            "notes": [s.text for s in group.surprises.all()]
            + [line.strip(" -•\t") for line in group.notes.splitlines() if line.strip(" -•\t")],
            "members": [m.display_name for m in group.members.all() if m.display_name] if names else [],
        }
        for group in groups
    ]
    surprise_groups = [group for group in surprise_groups if group["notes"]]
    methods = [
        {"text": proposal.text, "dots": proposal.dot_count}
        for proposal in MethodProposal.objects.filter(course=course)
        .annotate(dot_count=Count("dots"))
        .order_by("-dot_count", "pk")
    ]
    learnings = [
        {"text": sheet.answers["learnings"].strip(), "author": sheet.participant.display_name if names else ""}
        for sheet in sheets
        if isinstance(sheet.answers.get("learnings"), str) and sheet.answers["learnings"].strip()
    ]
    votes = list(
        Vote.objects.filter(course=course)
        .values("touchpoint__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "touchpoint__name")
    )
    photos = list(course.photos.order_by("created_at", "pk"))
    decisions = {kind: [d.text for d in items] for kind, items in course.decisions.grouped().items()}
    return {
        **base_context(course),
        "participant_count": course.participants.taking_part().count(),
        "interview_count": len(sheets),
        "card_count": course.cards.filter(hidden=False).count(),
        "chart": experience_chart(sheets),
        "negatives": zones[Zone.NEGATIVE],
        "positives": zones[Zone.POSITIVE],
        "surprise_groups": surprise_groups,
        "methods": methods,
        "learnings": learnings,
        "votes": votes,
        "photos": photos,
        "decisions": decisions if any(decisions.values()) else None,
        "trial_actions": list(course.trial_actions.order_by("created_at", "pk")),
        "next_steps": checklist(course, ChecklistStage.FOLLOWUP),
        "names_shown": names,
    }


CONTEXTS = {
    "m1": m1_context,
    "m2": m2_context,
    "m2-udfyldt": m2_context,
    "mine-ark": m2_context,
    "m3": m3_context,
    "m4": m4_context,
    "kort": meeting_cards_context,
    "drejebog": script_context,
    "opsamling": summary_context,
}


def document_sheets(course: Course, name: str, participant: Participant | None = None):
    if name == "m2-udfyldt":
        # Only handed-in sheets leave the phone; the facilitator's own example is shown at the kick-off anyway.
        return (
            ReflectionSheet.objects.of_course(course)
            .filter(Q(status=SheetStatus.SUBMITTED) | Q(is_example=True))
            .exclude(status=SheetStatus.DRAFT, answers={})
            .select_related("participant")
            .order_by("participant__joined_at", "created_at", "pk")
        )
    if name == "mine-ark" and participant is not None:
        return participant.sheets.select_related("participant").order_by("created_at", "pk")
    return None


def document_key(course: Course, document: Document, language: str, participant: Participant | None = None) -> str:
    """The cache key and ETag of a document: changes whenever anything it prints changes."""
    parts = [str(course.pk), document.name, language, str(participant.pk if participant else "")]
    return print_key(parts, course_fingerprint(course))


def document_slot(course_id: int, name: str, language: str, participant_id: int | None = None) -> str:
    """Where a document waits in the shared cache: one slot per course, document, language and participant."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = "other"  # whatever it was rendered for, it is checked against its key before it is served
    return f"course:{course_id}:{name}:{language}:{participant_id or ''}"


def course_document_slots(course_id: int, participant_ids: Iterable[int] = ()) -> list[str]:
    """Every slot the course's documents can be in, with the own sheets of these participants."""
    languages = [code for code, _name in settings.LANGUAGES] + ["other"]
    slots = [document_slot(course_id, name, language) for name in DOCUMENTS for language in languages]
    for participant_id in participant_ids:
        slots += [document_slot(course_id, OWN_SHEETS.name, language, participant_id) for language in languages]
    return slots


def forget_course_documents(course_id: int, participant_ids: Iterable[int] = ()) -> None:
    """Delete the course's cached documents (and these participants' own sheets): they print data now deleted."""
    forget_pdfs(course_document_slots(course_id, participant_ids))


def document_pdf(
    course: Course, document: Document, language: str, participant: Participant | None = None, key: str = ""
) -> tuple[bytes, bool]:
    """The document as PDF bytes, from the shared cache when the course's data has not changed."""

    def render() -> bytes:
        full = course_for_print(course.pk)
        context = CONTEXTS[document.name](full, sheets=document_sheets(full, document.name, participant))
        with translation.override(language):
            title = f"{document.title} – {full.title}"
        return render_pdf(
            document.template, context, title=title, language=language, photo_opener=photo_opener_for(full)
        )

    def still_wanted() -> bool:
        # A course or participant deleted while this rendered has had its cache cleared already.
        if participant is not None:
            return Participant.objects.filter(pk=participant.pk).exists()
        return Course.objects.filter(pk=course.pk).exists()

    return cached_pdf(
        document_slot(course.pk, document.name, language, participant.pk if participant else None),
        key or document_key(course, document, language, participant),
        render,
        still_wanted=still_wanted,
    )
