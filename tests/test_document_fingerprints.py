"""Each printed document has its own fingerprint of what it prints: a change renders only the documents that
print it (a photo, the summary; a draft on a phone, only its author's own sheets), and never leaves a document
in the cache that would print differently now."""

import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from interviews.models import ReflectionSheet, SheetStatus
from interviews.services import sheet_save
from sessions import closing, followup, meeting
from sessions.models import Card, MethodProposal, Participant, Photo, Vote, Zone
from sessions.printables import DOCUMENTS, OWN_SHEETS, document_html, document_key, document_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def printed(course, touchpoints, settings, tmp_path):
    """A course in its interview period with two named participants, a handed-in sheet, a card and a proposal."""
    settings.MEDIA_ROOT = tmp_path
    course.anonymous = False
    course.chosen_touchpoint = touchpoints[0]
    course.phase = "interviews"
    course.save()
    anna = Participant.objects.create(course=course, display_name="Anna", zone=Zone.POSITIVE)
    bo = Participant.objects.create(course=course, display_name="Bo", zone=Zone.NEGATIVE)
    ReflectionSheet.objects.create(
        participant=anna, status=SheetStatus.SUBMITTED, experience=4, answers={"context": "Bookede en tid"}
    )
    ReflectionSheet.objects.create(participant=bo, answers={"context": "Kladde"})
    Card.objects.create(course=course, author=anna, zone=Zone.POSITIVE, text="Nemt at booke")
    MethodProposal.objects.create(course=course, author=anna, text="Smiley-standere")
    course.people = {"anna": anna, "bo": bo}
    return course


def keys(course) -> dict[str, str]:
    """Every document's key, the participants' own sheets too."""
    found = {name: document_key(course, doc, "da") for name, doc in DOCUMENTS.items()}
    for label, person in course.people.items():
        found[f"mine-ark:{label}"] = document_key(course, OWN_SHEETS, "da", person)
    return found


def printed_html(course, name: str) -> str:
    """What the document lays out now: the HTML WeasyPrint gets (its photos are files that never change)."""
    if name.startswith("mine-ark:"):
        return document_html(course, OWN_SHEETS, "da", course.people[name.partition(":")[2]])[0]
    return document_html(course, DOCUMENTS[name], "da")[0]


def draft_saved(course, facilitator):
    sheet = course.people["bo"].sheets.get()
    sheet_save(
        sheet=sheet,
        participant=course.people["bo"],
        revision=sheet.revision,
        interviewed_on=None,
        experience=None,
        answers={"context": "Kladde, skrevet videre"},
    )


def handed_in(course, facilitator):
    sheet = course.people["bo"].sheets.get()
    sheet_save(
        sheet=sheet,
        participant=course.people["bo"],
        revision=sheet.revision,
        interviewed_on=timezone.localdate(),
        experience=2,
        answers={"context": "Fandt ikke knappen"},
        submit=True,
    )


def photo_uploaded(course, facilitator):
    photo = Photo(course=course, width=1, height=1, caption="Kortvæggen")
    photo.image.save("wall.jpg", ContentFile(b"jpeg"), save=False)
    photo.thumbnail.save("wall-small.jpg", ContentFile(b"jpeg"), save=False)
    photo.save()


def card_written(course, facilitator):
    meeting.card_post(course=course, by=facilitator, text="Svær at finde", zone=Zone.NEGATIVE, client_key=uuid.uuid4())


def point_sorted(course, facilitator):
    card = course.cards.get(text="Nemt at booke")
    followup.decision_sort(course=course, source=f"card:{card.pk}", kind="keep")


def vote_cast(course, facilitator):
    Vote.objects.create(course=course, participant=course.people["bo"], touchpoint=course.chosen_touchpoint)


def meeting_started(course, facilitator):
    meeting.meeting_start(course=course, by=facilitator)


def course_closed(course, facilitator):
    closing.course_close(course=course, by=facilitator)


def retitled(course, facilitator):
    course.title = "Tidsbestilling på nettet"
    course.save()


EVERYTHING = {*DOCUMENTS, "mine-ark:anna", "mine-ark:bo"}
CHANGES = [
    (draft_saved, {"mine-ark:bo"}),
    (handed_in, {"m2-udfyldt", "opsamling", "mine-ark:bo"}),
    (photo_uploaded, {"opsamling"}),
    (card_written, {"kort", "opsamling"}),
    (point_sorted, {"opsamling"}),
    (vote_cast, {"opsamling"}),
    (meeting_started, set()),
    (course_closed, set()),
    (retitled, EVERYTHING),
]


@pytest.mark.parametrize(("change", "renders"), CHANGES, ids=[change.__name__ for change, _ in CHANGES])
def test_a_change_renders_only_the_documents_that_print_it(printed, facilitator, change, renders):
    before = keys(printed)
    change(printed, facilitator)
    printed.refresh_from_db()
    after = keys(printed)
    assert {name for name in before if before[name] != after[name]} == renders


@pytest.mark.parametrize("change", [change for change, _renders in CHANGES], ids=lambda change: change.__name__)
def test_a_document_whose_key_stays_prints_the_same(printed, facilitator, change):
    """The other side: every document left in the cache would print exactly what it printed."""
    before = {name: printed_html(printed, name) for name in EVERYTHING}
    old_keys = keys(printed)
    change(printed, facilitator)
    printed.refresh_from_db()
    new_keys = keys(printed)
    kept = {name for name in EVERYTHING if old_keys[name] == new_keys[name]}
    assert {name for name in kept if printed_html(printed, name) != before[name]} == set()
    # The documents the change did render anew print something else indeed (no needless work).
    assert all(printed_html(printed, name) != before[name] for name in EVERYTHING - kept)


def test_the_first_render_and_a_cache_hit_print_the_same(printed):
    pdf, cached = document_pdf(printed, DOCUMENTS["kort"], "da")
    again, cached_again = document_pdf(printed, DOCUMENTS["kort"], "da")
    assert (cached, cached_again) == (False, True) and again == pdf
    assert "Nemt at booke" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
