"""A participant deletes their own sheets and cards from the phone until the course is closed: a confirmation
first (GET changes nothing), and anyone else's sheet or card is a 404."""

import pytest
from django.urls import reverse

from interviews.models import ReflectionSheet, SheetStatus
from sessions import closing, meeting
from sessions.models import Card, CoursePhase, Decision, DecisionKind, Meeting, Participant, Zone
from tests.phones import phone_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_phones(course):
    mine = Participant.objects.create(course=course, display_name="Mette", zone=Zone.POSITIVE)
    theirs = Participant.objects.create(course=course, display_name="Tom", zone=Zone.POSITIVE)
    return mine, theirs


def sheet_of(participant, **fields):
    return ReflectionSheet.objects.create(participant=participant, answers={"context": "Bookede en tid"}, **fields)


# --- sheets --------------------------------------------------------------------------------------


def test_the_sheet_list_offers_to_delete_each_sheet_after_a_confirmation(course, two_phones):
    mine, _theirs = two_phones
    draft, handed_in = sheet_of(mine), sheet_of(mine, status=SheetStatus.SUBMITTED)
    phone = phone_for(mine)
    listing = phone.get(reverse("interviews:sheets", args=[course.pk])).content.decode()
    for sheet in (draft, handed_in):
        assert reverse("interviews:sheet_delete", args=[course.pk, sheet.pk]) in listing

    confirmation = phone.get(reverse("interviews:sheet_delete", args=[course.pk, handed_in.pk]))
    assert confirmation.status_code == 200
    text = confirmation.content.decode()
    assert "Vil du slette ark 2?" in text and "facilitatorens oversigt" in text and 'method="post"' in text
    assert ReflectionSheet.objects.filter(pk=handed_in.pk).exists()  # GET changes nothing

    response = phone.post(reverse("interviews:sheet_delete", args=[course.pk, handed_in.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("interviews:sheets", args=[course.pk])
    assert "Arket er slettet." in response.content.decode()
    assert list(mine.sheets.all()) == [draft]


def test_a_handed_in_sheet_can_be_deleted_after_the_meeting_too(course, two_phones):
    mine, _theirs = two_phones
    sheet = sheet_of(mine, status=SheetStatus.SUBMITTED)
    course.phase = CoursePhase.FOLLOWUP
    course.save()
    phone_for(mine).post(reverse("interviews:sheet_delete", args=[course.pk, sheet.pk]))
    assert not ReflectionSheet.objects.filter(pk=sheet.pk).exists()


def test_another_participants_sheet_is_a_404(course, two_phones):
    mine, theirs = two_phones
    their_sheet = sheet_of(theirs)
    phone = phone_for(mine)
    url = reverse("interviews:sheet_delete", args=[course.pk, their_sheet.pk])
    assert phone.get(url).status_code == 404
    assert phone.post(url).status_code == 404
    assert ReflectionSheet.objects.filter(pk=their_sheet.pk).exists()


def test_sheets_stay_once_the_course_is_closed(course, two_phones, facilitator):
    mine, _theirs = two_phones
    sheet = sheet_of(mine, status=SheetStatus.SUBMITTED)
    closing.course_close(course=course, by=facilitator)
    phone = phone_for(mine)
    listing = phone.get(reverse("interviews:sheets", args=[course.pk])).content.decode()
    assert reverse("interviews:sheet_delete", args=[course.pk, sheet.pk]) not in listing
    phone.post(reverse("interviews:sheet_delete", args=[course.pk, sheet.pk]))
    assert ReflectionSheet.objects.filter(pk=sheet.pk).exists()


# --- cards ---------------------------------------------------------------------------------------


@pytest.fixture
def card_round(course, facilitator, two_phones):
    meeting.meeting_start(course=course, by=facilitator)
    while Meeting.objects.get(course=course).activity.key != "card_round":
        meeting.meeting_go(course=course, by=facilitator, step="next")
    return course


def test_the_meeting_phone_lists_own_cards_with_a_way_to_delete_them(card_round, two_phones):
    mine, theirs = two_phones
    own = Card.objects.create(course=card_round, author=mine, zone=Zone.POSITIVE, text="Nemt at booke")
    other = Card.objects.create(course=card_round, author=theirs, zone=Zone.POSITIVE, text="Hurtigt svar")
    page = phone_for(mine).get(reverse("dialogue:meeting_phone", args=[card_round.pk])).content.decode()
    assert reverse("dialogue:card_delete", args=[card_round.pk, own.pk]) in page
    assert reverse("dialogue:card_delete", args=[card_round.pk, other.pk]) not in page
    listing = phone_for(mine).get(reverse("dialogue:my_cards", args=[card_round.pk])).content.decode()
    assert "Nemt at booke" in listing and "Hurtigt svar" not in listing


def test_deleting_a_card_after_a_confirmation_takes_it_off_every_screen(card_round, two_phones, leader):
    mine, _theirs = two_phones
    card = Card.objects.create(course=card_round, author=mine, zone=Zone.POSITIVE, text="Nemt at booke")
    twin = Card.objects.create(course=card_round, zone=Zone.POSITIVE, text="Let at booke", merged_into=card)
    sorted_as_is = Decision.objects.create(
        course=card_round, kind=DecisionKind.KEEP, text=card.text, source=f"card:{card.pk}"
    )
    version = Meeting.objects.get(course=card_round).version
    phone = phone_for(mine)
    url = reverse("dialogue:card_delete", args=[card_round.pk, card.pk])

    confirmation = phone.get(url + "?fra=moede")
    assert confirmation.status_code == 200 and "Vil du slette kortet?" in confirmation.content.decode()
    assert Card.objects.filter(pk=card.pk).exists()  # GET changes nothing

    response = phone.post(url, {"fra": "moede"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "dialogue:meeting_phone", args=[card_round.pk]
    )
    assert not Card.objects.filter(pk=card.pk).exists()
    twin.refresh_from_db()
    assert twin.merged_into is None  # the card merged into it stands on its own again
    assert not Decision.objects.filter(pk=sorted_as_is.pk).exists()
    assert Meeting.objects.get(course=card_round).version > version  # polling screens refresh


def test_a_point_the_leader_rewrote_stays_when_its_card_is_deleted(card_round, two_phones):
    mine, _theirs = two_phones
    card = Card.objects.create(course=card_round, author=mine, zone=Zone.POSITIVE, text="Nemt at booke")
    rewritten = Decision.objects.create(
        course=card_round, kind=DecisionKind.KEEP, text="Booking skal være nem", source=f"card:{card.pk}"
    )
    meeting.card_delete(participant=mine, card_id=card.pk)
    assert Decision.objects.filter(pk=rewritten.pk).exists()


def test_anyone_elses_card_is_a_404(card_round, two_phones):
    mine, theirs = two_phones
    others = [
        Card.objects.create(course=card_round, author=theirs, zone=Zone.POSITIVE, text="Hurtigt svar"),
        Card.objects.create(course=card_round, zone=Zone.POSITIVE, text="Skrevet af facilitatoren"),
    ]
    phone = phone_for(mine)
    for card in others:
        url = reverse("dialogue:card_delete", args=[card_round.pk, card.pk])
        assert phone.get(url).status_code == 404
        assert phone.post(url).status_code == 404
    assert Card.objects.filter(pk__in=[c.pk for c in others]).count() == 2


def test_cards_stay_once_the_course_is_closed(card_round, two_phones, facilitator):
    mine, _theirs = two_phones
    card = Card.objects.create(course=card_round, author=mine, zone=Zone.POSITIVE, text="Nemt at booke")
    closing.course_close(course=card_round, by=facilitator)
    phone = phone_for(mine)
    listing = phone.get(reverse("dialogue:my_cards", args=[card_round.pk])).content.decode()
    assert reverse("dialogue:card_delete", args=[card_round.pk, card.pk]) not in listing
    phone.post(reverse("dialogue:card_delete", args=[card_round.pk, card.pk]))
    assert Card.objects.filter(pk=card.pk).exists()


def test_after_the_meeting_the_phone_leads_to_its_own_sheets_and_cards(course, two_phones):
    mine, _theirs = two_phones
    course.phase = CoursePhase.FOLLOWUP
    course.save()
    home = phone_for(mine).get(reverse("dialogue:participant_home", args=[course.pk])).content.decode()
    assert reverse("interviews:sheets", args=[course.pk]) in home
    assert reverse("dialogue:my_cards", args=[course.pk]) in home
