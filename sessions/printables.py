"""The printed documents of a course (M1–M4, the meeting script, the leader's summary): their data and rendering.

Each document is a template under `templates/print/` and a function that reads what it prints.
`document_fingerprint` sums up what one document prints, so an unchanged document is served from the
shared cache instead of being rendered again, and a change renders only the documents that print it.
"""

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from borgerblik.pdf import (
    cached_pdf,
    forget_pdfs,
    pdf_from_html,
    pdf_or_rendering,
    print_html,
    print_key,
)
from interviews.models import ReflectionSheet, SheetStatus

from .mailings import mail_subject
from .models import (
    Activity,
    AgendaItem,
    AgendaPhase,
    ChecklistStage,
    Course,
    DialogueTool,
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


# Each document has its own fingerprint, made of the parts of the data it prints: a photo uploaded
# renders the summary anew and leaves M1–M4, the cards and the drejebog in the cache; a draft saved on a
# phone renders nothing but its author's own sheets. Each part is one query over the rows concerned, all
# their columns hashed (not rendered), so it stays cheap for large courses and a column added later is
# covered without anyone remembering to add it here.

# Columns of the course row that no document prints: they change without the documents changing.
COURSE_UNPRINTED = {"phase", "updated_at", "closed_at"}


def _course_part(course: Course) -> str:
    fields = [f.attname for f in Course._meta.concrete_fields if f.attname not in COURSE_UNPRINTED]
    names = ["workplace__name", "created_by__username", "created_by__first_name", "created_by__last_name"]
    names += [f"tool__{f.attname}" for f in DialogueTool._meta.concrete_fields]  # the template's name and texts
    return _digest(Course.objects.filter(pk=course.pk).values_list(*fields, *names))


def _template_part(course: Course) -> str:
    tool = course.tool
    return _digest(
        [
            _digest(AgendaItem.objects.filter(tool=tool).order_by("pk").values_list()),
            _digest(Activity.objects.filter(agenda_item__tool=tool).order_by("pk").values_list()),
            _digest(tool.questions.order_by("pk").values_list()),
            _digest(tool.sheet_fields.order_by("pk").values_list()),
            _digest(tool.checklist_items.order_by("pk").values_list()),
            _digest(tool.materials.order_by("pk").values_list()),
        ]
    )


def _names_part(course: Course) -> str:
    """Who took part and under which name (names print only when the course is not anonymous)."""
    return _digest(course.participants.order_by("pk").values_list("pk", "display_name", "user_id", "present"))


def _sheets_part(sheets) -> str:
    return _digest(sheets.order_by("pk").values_list())


PARTS = {
    "course": _course_part,
    "template": _template_part,
    "touchpoints": lambda course: _digest(course.workplace.touchpoints.order_by("pk").values_list()),
    # The facilitator's own example feeds placeholders ({own_example}) of questions and prompts.
    "example": lambda course: _sheets_part(ReflectionSheet.objects.of_course(course).filter(is_example=True)),
    "names": _names_part,
    "m2_sheets": lambda course: _sheets_part(document_sheets(course, "m2-udfyldt")),
    "submitted_sheets": lambda course: _sheets_part(ReflectionSheet.objects.of_course(course).submitted()),
    "cards": lambda course: _digest(course.cards.order_by("pk").values_list()),
    "groups": lambda course: _digest(
        [
            _digest(course.groups.order_by("pk").values_list().annotate(n=Count("members"))),
            _digest(Surprise.objects.filter(group__course=course).order_by("pk").values_list()),
        ]
    ),
    "votes": lambda course: _digest(course.votes.order_by("pk").values_list()),
    "photos": lambda course: _digest(course.photos.order_by("pk").values_list()),
    "methods": lambda course: _digest(
        MethodProposal.objects.filter(course=course).annotate(n=Count("dots")).order_by("pk").values_list()
    ),
    "decisions": lambda course: _digest(course.decisions.shown().order_by("pk").values_list()),
    "trial_actions": lambda course: _digest(course.trial_actions.order_by("pk").values_list()),
}
EVERY_DOCUMENT = ("course", "template", "touchpoints", "example")
DOCUMENT_PARTS = {
    "m1": EVERY_DOCUMENT,
    "m2": EVERY_DOCUMENT,
    "m2-udfyldt": (*EVERY_DOCUMENT, "names", "m2_sheets"),
    "mine-ark": EVERY_DOCUMENT,  # and the participant's own row and sheets, see document_fingerprint
    "m3": EVERY_DOCUMENT,
    "m4": EVERY_DOCUMENT,
    "kort": (*EVERY_DOCUMENT, "names", "cards"),
    "drejebog": EVERY_DOCUMENT,
    "opsamling": (*EVERY_DOCUMENT, *(name for name in PARTS if name not in EVERY_DOCUMENT and name != "m2_sheets")),
}


def document_fingerprint(course: Course, name: str, participant: Participant | None = None) -> str:
    """A hash of the data this document prints: it changes whenever any of it changes, and only then."""
    parts = [f"{part}:{PARTS[part](course)}" for part in DOCUMENT_PARTS[name]]
    if participant is not None:
        parts.append(_digest(Participant.objects.filter(pk=participant.pk).values_list("display_name")))
        parts.append(_sheets_part(participant.sheets.all()))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


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


def _photo_file(photo: Photo, variant: str) -> bytes | None:
    """The bytes to print, or None (the PDF then leaves the photo out) when its file is gone or unreadable."""
    try:
        if variant == "thumbnail":
            with photo.thumbnail.open("rb") as handle:
                return handle.read()
        return print_bytes(photo)  # fitted to the printed size, not the 1600-pixel photo
    except (OSError, ValueError, SyntaxError):  # missing file; not an image Pillow can read
        return None


def photo_opener_for(course: Course):
    """Reads a photo of this course only (any other id gives nothing)."""

    def opener(photo_id: int, variant: str) -> bytes | None:
        photo = Photo.objects.filter(course=course, pk=photo_id).first()
        return _photo_file(photo, variant) if photo is not None else None

    return opener


PRINTED_PHOTO = re.compile(r"/print-photos/(\d+)/(print|thumbnail)")


def photos_printed_in(course: Course, html: str):
    """An opener holding the photos this HTML prints, read now: the layout can then run in another thread."""
    wanted = {(int(pk), variant) for pk, variant in PRINTED_PHOTO.findall(html)}
    photos = Photo.objects.filter(course=course, pk__in={pk for pk, _variant in wanted}).in_bulk()
    files = {(pk, variant): _photo_file(photos[pk], variant) for pk, variant in wanted if pk in photos}
    return lambda photo_id, variant: files.get((photo_id, variant))


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
    return print_key(parts, document_fingerprint(course, document.name, participant))


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


def document_html(course: Course, document: Document, language: str, participant: Participant | None = None):
    """The document's HTML as WeasyPrint lays it out, and an opener holding the photos it prints."""
    full = course_for_print(course.pk)
    context = CONTEXTS[document.name](full, sheets=document_sheets(full, document.name, participant))
    with translation.override(language):
        title = f"{document.title} – {full.title}"
    html = print_html(document.template, context, title=title, language=language)
    return html, photos_printed_in(full, html)


def _still_wanted(course: Course, participant: Participant | None):
    def still_wanted() -> bool:
        # A course or participant deleted while this rendered has had its cache cleared already.
        if participant is not None:
            return Participant.objects.filter(pk=participant.pk).exists()
        return Course.objects.filter(pk=course.pk).exists()

    return still_wanted


def document_pdf(
    course: Course, document: Document, language: str, participant: Participant | None = None, key: str = ""
) -> tuple[bytes, bool]:
    """The document as PDF bytes, from the shared cache when what it prints has not changed."""
    return cached_pdf(
        document_slot(course.pk, document.name, language, participant.pk if participant else None),
        key or document_key(course, document, language, participant),
        lambda: pdf_from_html(*document_html(course, document, language, participant)),
        still_wanted=_still_wanted(course, participant),
    )


def document_pdf_or_rendering(
    course: Course,
    document: Document,
    language: str,
    participant: Participant | None = None,
    key: str = "",
    wait: float | None = None,
) -> tuple[bytes | None, str]:
    """The document from the cache ("hit"), rendered within the wait ("miss"), or None while it renders in the
    background ("rendering", or "failed" when its last render failed)."""
    slot = document_slot(course.pk, document.name, language, participant.pk if participant else None)
    key = key or document_key(course, document, language, participant)
    return pdf_or_rendering(
        slot,
        key,
        lambda: document_html(course, document, language, participant),
        still_wanted=_still_wanted(course, participant),
        wait=wait,
    )
