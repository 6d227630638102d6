"""Closing a course: a confirmation that says what it means, no writes afterwards from anywhere, the
purge date on the course page, and reopening before the purge."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from interviews.models import ReflectionSheet, SheetStatus
from interviews.services import sheet_save
from sessions import closing, followup, mailings, meeting
from sessions.models import (
    Card,
    ChecklistItem,
    CoursePhase,
    Decision,
    DecisionKind,
    Group,
    GroupKind,
    Meeting,
    MethodProposal,
    Participant,
    Photo,
    Proposal,
    TrialAction,
    Zone,
)
from sessions.photos import photo_delete, photos_add
from sessions.services import course_create
from tests.phones import phone_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed_up(course, touchpoints, settings, tmp_path):
    """A course after its meeting with something of every kind in it, as a closed course would hold."""
    settings.MEDIA_ROOT = tmp_path
    return fill(course, touchpoints[0])


def fill(course, touchpoint):
    course.chosen_touchpoint = touchpoint
    course.phase = CoursePhase.FOLLOWUP
    course.save()
    people = [
        Participant.objects.create(course=course, display_name=f"Deltager {i}", zone=Zone.POSITIVE) for i in range(3)
    ]
    for person in people:
        ReflectionSheet.objects.create(
            participant=person, status=SheetStatus.SUBMITTED, experience=4, answers={"context": "Bookede en tid"}
        )
    Card.objects.create(course=course, author=people[0], zone=Zone.POSITIVE, text="Nemt at booke")
    group = Group.objects.create(course=course, kind=GroupKind.SURPRISES, number=1)
    group.members.set(people)
    method = MethodProposal.objects.create(course=course, author=people[0], text="Smiley-standere")
    Decision.objects.create(course=course, kind=DecisionKind.KEEP, text="Nemt at booke", source="own:1")
    TrialAction.objects.create(course=course, title="Større skrift")
    Proposal.objects.create(course=course, name="Chatten")
    photo = Photo(course=course, width=1, height=1)
    photo.image.save("wall.jpg", ContentFile(b"jpeg"), save=False)
    photo.thumbnail.save("wall-small.jpg", ContentFile(b"jpeg"), save=False)
    photo.save()
    now = timezone.now()
    Meeting.objects.create(course=course, started_at=now - timedelta(hours=1), ended_at=now)
    course.refresh_from_db()
    course.people, course.method = people, method
    return course


def page(client, course):
    return client.get(reverse("dialogue:course", args=[course.pk])).content.decode()


# --- the way to close, and what the course page says afterwards --------------------------------


@pytest.mark.parametrize("who", ["facilitator_client", "leader_client"])
def test_facilitators_and_leaders_close_after_a_confirmation_that_says_what_it_means(
    request, who, followed_up, settings
):
    settings.BORGERBLIK_RETENTION_DAYS = 30
    client = request.getfixturevalue(who)
    close_url = reverse("dialogue:course_close", args=[followed_up.pk])
    assert close_url in page(client, followed_up)

    confirmation = client.get(close_url)
    assert confirmation.status_code == 200
    text = confirmation.content.decode()
    purge = (timezone.localtime() + timedelta(days=30)).date()
    assert "kan der ikke længere skrives" in text and "telefonerne" in text
    assert f"den {purge.day}. " in text and "30 dage efter" in text
    assert 'method="post"' in text
    followed_up.refresh_from_db()
    assert followed_up.phase == CoursePhase.FOLLOWUP and followed_up.closed_at is None  # GET changes nothing

    response = client.post(close_url)
    assert response.status_code == 302
    followed_up.refresh_from_db()
    assert followed_up.phase == CoursePhase.CLOSED
    assert abs(followed_up.closed_at - timezone.now()) < timedelta(minutes=1)
    assert followed_up.purge_after == followed_up.closed_at + timedelta(days=30)

    shown = page(client, followed_up)
    assert "Forløbet er afsluttet" in shown
    assert f"Forløbet slettes den {timezone.localtime(followed_up.purge_after).day}. " in shown
    assert reverse("dialogue:course_reopen", args=[followed_up.pk]) in shown
    assert close_url not in shown


def test_a_stranger_cannot_close_or_reopen(followed_up, stranger_client):
    assert stranger_client.get(reverse("dialogue:course_close", args=[followed_up.pk])).status_code == 404
    assert stranger_client.post(reverse("dialogue:course_close", args=[followed_up.pk])).status_code == 404
    followed_up.refresh_from_db()
    assert followed_up.phase == CoursePhase.FOLLOWUP


def test_closing_ends_a_meeting_that_still_runs(course, facilitator, facilitator_client, add_participants):
    add_participants(2)
    meeting.meeting_start(course=course, by=facilitator)
    confirmation = facilitator_client.get(reverse("dialogue:course_close", args=[course.pk])).content.decode()
    assert "stadig i gang" in confirmation
    facilitator_client.post(reverse("dialogue:course_close", args=[course.pk]))
    assert Meeting.objects.get(course=course).ended_at is not None


def test_reopening_takes_up_the_phase_the_course_was_in_and_stops_the_retention_period(
    followed_up, leader, leader_client
):
    closing.course_close(course=followed_up, by=leader)
    response = leader_client.post(reverse("dialogue:course_reopen", args=[followed_up.pk]))
    assert response.status_code == 302
    followed_up.refresh_from_db()
    assert followed_up.phase == CoursePhase.FOLLOWUP and followed_up.closed_at is None
    assert followed_up.purge_after is None


@pytest.mark.parametrize(
    ("setup", "phase"),
    [
        ("nothing", CoursePhase.PREPARATION),
        ("chosen", CoursePhase.INTERVIEWS),
        ("started", CoursePhase.FOLLOWUP),  # the closing ended the meeting
    ],
)
def test_a_reopened_course_takes_up_its_phase(course, facilitator, touchpoints, setup, phase):
    if setup in ("chosen", "started"):
        course.chosen_touchpoint = touchpoints[0]
        course.save()
    if setup == "started":
        Meeting.objects.create(course=course, started_at=timezone.now())
    closing.course_close(course=course, by=facilitator)
    assert closing.course_reopen(course=course, by=facilitator).phase == phase


def test_closing_twice_or_reopening_an_open_course_is_refused(course, facilitator, stranger):
    with pytest.raises(ValidationError):
        closing.course_reopen(course=course, by=facilitator)
    closing.course_close(course=course, by=facilitator)
    with pytest.raises(ValidationError):
        closing.course_close(course=course, by=facilitator)
    with pytest.raises(PermissionDenied):
        closing.course_reopen(course=course, by=stranger)


# --- no more writes: the services ---------------------------------------------------------------


def test_the_services_refuse_every_write_to_a_closed_course(followed_up, facilitator, leader):
    course = followed_up
    phone = course.people[0]
    sheet = phone.sheets.get()
    closing.course_close(course=course, by=leader)
    course.refresh_from_db()
    phone.refresh_from_db()
    key = uuid.uuid4()
    writes = {
        "card from a phone": lambda: meeting.card_post(
            course=course, participant=phone, text="Mere", zone=Zone.POSITIVE, client_key=key
        ),
        "card on behalf": lambda: meeting.card_post(
            course=course, by=facilitator, text="Mere", zone=Zone.POSITIVE, client_key=key
        ),
        "surprise": lambda: meeting.surprise_post(participant=phone, text="Overrasket", client_key=key),
        "proposal": lambda: meeting.proposal_post(course=course, participant=phone, text="Et panel", client_key=key),
        "dot": lambda: meeting.dot_place(participant=phone, proposal_id=course.method.pk, client_key=key),
        "meeting control": lambda: meeting.meeting_reopen(course=course, by=facilitator),
        "sheet": lambda: sheet_save(
            sheet=sheet, participant=phone, revision=sheet.revision, interviewed_on=None, experience=1, answers={}
        ),
        "sort": lambda: followup.decision_sort(course=course, source=f"method:{course.method.pk}", kind="keep"),
        "own point": lambda: followup.decision_write(course=course, kind="keep", text="Mere", client_key="k"),
        "remove point": lambda: followup.decision_remove(decision=course.decisions.get()),
        "photo upload": lambda: photos_add(course=course, uploads=[], user=facilitator),
        "photo delete": lambda: photo_delete(photo=course.photos.get()),
        "mail": lambda: mailings.mailing_send(course=course, kind="thanks", client_key=key, outgoing=[]),
    }
    for what, write in writes.items():
        with pytest.raises(ValidationError) as refused:
            write()
        assert refused.value.code == "closed", what
    assert course.cards.count() == 1 and course.decisions.count() == 1 and course.photos.count() == 1
    assert ReflectionSheet.objects.get(pk=sheet.pk).experience == 4


# --- no more writes: every page, every phone -----------------------------------------------------


def snapshot() -> dict:
    """Every row of the app's tables (the cache and sessions aside): what a write would change."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith(("dialogue_", "interviews_")):
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 – table names from the schema itself
                rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


def course_urls(course, participant) -> list[str]:
    """Every URL of the two apps that takes a course, filled in with rows of this course."""
    ids = {
        "course_id": course.pk,
        "proposal_id": course.proposals.first().pk,
        "item_id": ChecklistItem.objects.filter(tool=course.tool).first().pk,
        "decision_id": course.decisions.first().pk,
        "action_id": course.trial_actions.first().pk,
        "photo_id": course.photos.first().pk,
        "sheet_id": participant.sheets.first().pk,
        "card_id": course.cards.first().pk,
        "action": "start",
        "name": "opsamling",
    }
    urls = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace in ("dialogue", "interviews"):
                params = list(entry.pattern.converters)
                if "course_id" not in params or entry.name == "course_reopen":
                    continue
                urls.append(reverse(f"{namespace}:{entry.name}", kwargs={p: ids[p] for p in params}))

    walk(get_resolver().url_patterns, None)
    return urls


WRITE_DATA = {
    "text": "Noget nyt",
    "zone": "positive",
    "kind": "keep",
    "source": "card:1",
    "client_key": str(uuid.uuid4()),
    "action": "next",
    "title": "Ny titel",
    "name": "Nyt forslag",
    "done": "1",
    "remove": "1",
    "submit": "1",
    "revision": "0",
    "experience": "2",
    "context": "Ændret",
    "known_facts": "Ny viden",
    "recruitment_plan": "Ny plan",
}


def crawl(urls, clients, **headers) -> dict:
    """POST the same data to every URL as every client: the URLs whose POST changed a row, and every status."""
    wrote, statuses = set(), {}
    for url in urls:
        for name, client in clients.items():
            before = snapshot()
            statuses[(url, name)] = client.post(url, WRITE_DATA, **headers).status_code
            if snapshot() != before:
                wrote.add(url)
    return {"wrote": wrote, "statuses": statuses}


def test_no_page_or_phone_writes_to_a_closed_course(
    course, workplace, tool, touchpoints, facilitator, facilitator_client, leader_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    closed = fill(course, touchpoints[0])
    still_open = fill(course_create(workplace=workplace, tool=tool, title="Åbent"), touchpoints[0])

    def clients(course):
        return {"facilitator": facilitator_client, "leader": leader_client, "phone": phone_for(course.people[0])}

    # The same POSTs write through many pages of a course that is open: the crawl reaches real writes.
    open_urls = [url for url in course_urls(still_open, still_open.people[0]) if "/afslut/" not in url]
    assert len(open_urls) > 40
    assert len(crawl(open_urls, clients(still_open))["wrote"]) >= 12

    closing.course_close(course=closed, by=facilitator)
    urls = course_urls(closed, closed.people[0])
    before = snapshot()
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}, {"HTTP_ACCEPT": "application/json"}):
        result = crawl(urls, clients(closed), **headers)
        assert result["wrote"] == set(), headers
        assert all(status < 500 for status in result["statuses"].values()), result["statuses"]
    assert snapshot() == before


def test_a_closed_course_refuses_with_a_message_where_the_write_came_from(followed_up, facilitator, facilitator_client):
    course = followed_up
    phone = phone_for(course.people[0])
    closing.course_close(course=course, by=facilitator)

    answer = facilitator_client.post(reverse("dialogue:decision_write", args=[course.pk]), WRITE_DATA, follow=True)
    assert answer.redirect_chain[-1][0] == reverse("dialogue:course", args=[course.pk])
    assert "Forløbet er afsluttet, så der kan ikke længere skrives" in answer.content.decode()

    htmx = phone.post(reverse("dialogue:meeting_card", args=[course.pk]), WRITE_DATA, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 409 and htmx["HX-Redirect"] == reverse("dialogue:participant_home", args=[course.pk])

    sheet = course.people[0].sheets.get()
    autosave = phone.post(
        reverse("interviews:sheet_autosave", args=[course.pk, sheet.pk]), WRITE_DATA, HTTP_ACCEPT="application/json"
    )
    assert autosave.status_code == 403 and autosave.json()["closed"] is True
