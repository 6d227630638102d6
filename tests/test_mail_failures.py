"""A mail server that is down or refuses: nothing counts as sent that was not, the facilitator is told who
did not get the mail and can send again to them alone, and a phone joining with an address still joins."""

import re
import uuid

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from sessions.decorators import participant_cookie_name
from sessions.models import CoursePhase, Mailing, Participant
from tests.mail_backends import RefusingBackend

pytestmark = pytest.mark.django_db

DOWN = "tests.mail_backends.DownBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"

# kind: (the send button's address, the page it comes back to)
SENDINGS = {
    "invitation": ("/forloeb/{pk}/invitation/send/", "/forloeb/{pk}/invitation/"),
    "reminder": ("/forloeb/{pk}/interviewperiode/paamind/", "/forloeb/{pk}/interviewperiode/"),
    "thanks": ("/forloeb/{pk}/opfoelgning/tak/", "/forloeb/{pk}/opfoelgning/"),
}


@pytest.fixture
def people(course, touchpoints):
    course.chosen_touchpoint = touchpoints[1]
    course.phase = CoursePhase.FOLLOWUP  # every one of the three can be sent
    course.save()
    return [
        Participant.objects.create(course=course, display_name="Mia", email="mia@kommune.dk"),
        Participant.objects.create(course=course, email="anon@kommune.dk"),
        Participant.objects.create(course=course, display_name="Ole", email="ole@kommune.dk"),
    ]


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    RefusingBackend.refused = set()
    yield RefusingBackend
    RefusingBackend.refused = set()


def send(client, course, kind, key):
    send_url, page_url = (url.format(pk=course.pk) for url in SENDINGS[kind])
    response = client.post(send_url, {"client_key": str(key)})
    assert response.status_code == 302
    assert response["Location"].split("#")[0] == page_url
    return client.get(page_url).content.decode()


def form_key(page: str, course, kind) -> str:
    """The client_key of the send button's form(s) on the page."""
    send_url = SENDINGS[kind][0].format(pk=course.pk)
    forms = re.findall(rf'<form method="post" action="{re.escape(send_url)}">(.*?)</form>', page, re.S)
    keys = {re.search(r'name="client_key" value="([^"]+)"', form).group(1) for form in forms}
    assert len(keys) == 1, keys
    return keys.pop()


def recipients():
    return sorted(message.to[0] for message in mail.outbox)


@pytest.mark.parametrize("kind", SENDINGS)
def test_with_the_mail_server_down_nothing_is_recorded_and_the_page_says_who_did_not_get_it(
    kind, facilitator_client, course, people, settings
):
    settings.EMAIL_BACKEND = DOWN
    page = send(facilitator_client, course, kind, uuid.uuid4())
    assert not Mailing.objects.exists()
    assert "Mailen kom ikke af sted til 3 deltagere (Mia, Ole, 1 anonym deltager)" in page
    assert "Sendt til" not in page


@pytest.mark.parametrize("kind", SENDINGS)
def test_sending_again_reaches_those_who_did_not_get_it_and_nobody_twice(
    kind, facilitator_client, course, people, refusing
):
    key = uuid.uuid4()
    refusing.refused = {"ole@kommune.dk"}
    page = send(facilitator_client, course, kind, key)
    assert recipients() == ["anon@kommune.dk", "mia@kommune.dk"]
    assert Mailing.objects.get().recipients == 2
    assert "Sendt til 2 deltagere." in page
    assert "Mailen kom ikke af sted til 1 deltager (Ole)" in page
    assert form_key(page, course, kind) == str(key)  # the button finishes this sending

    refusing.refused = set()
    page = send(facilitator_client, course, kind, key)
    assert recipients() == ["anon@kommune.dk", "mia@kommune.dk", "ole@kommune.dk"]
    assert Mailing.objects.get().recipients == 3
    assert "Sendt til 1 deltager." in page
    assert form_key(page, course, kind) != str(key)  # done: the next press is a new sending

    page = send(facilitator_client, course, kind, key)  # the same form once more
    assert len(mail.outbox) == 3
    assert "allerede sendt" in page


def test_after_the_server_was_down_sending_again_reaches_everybody(facilitator_client, course, people, settings):
    settings.EMAIL_BACKEND = DOWN
    key = uuid.uuid4()
    page = send(facilitator_client, course, "invitation", key)
    assert form_key(page, course, "invitation") == str(key)
    settings.EMAIL_BACKEND = LOCMEM
    page = send(facilitator_client, course, "invitation", key)
    assert recipients() == ["anon@kommune.dk", "mia@kommune.dk", "ole@kommune.dk"]
    assert Mailing.objects.get().recipients == 3
    assert "Sendt til 3 deltagere." in page


def test_a_participant_who_joined_after_a_failed_sending_gets_the_retry(facilitator_client, course, people, refusing):
    key = uuid.uuid4()
    refusing.refused = {"ole@kommune.dk"}
    send(facilitator_client, course, "invitation", key)
    Participant.objects.create(course=course, display_name="Ny", email="ny@kommune.dk")
    refusing.refused = set()
    send(facilitator_client, course, "invitation", key)
    assert recipients() == ["anon@kommune.dk", "mia@kommune.dk", "ny@kommune.dk", "ole@kommune.dk"]


def test_a_press_while_the_same_form_is_being_sent_sends_nothing(facilitator_client, course, people):
    key = uuid.uuid4()
    cache.add(f"mailing-send:{key}", True, 60)  # the first press is still talking to the mail server
    page = send(facilitator_client, course, "invitation", key)
    assert mail.outbox == []
    assert not Mailing.objects.exists()
    assert "Mailen er ved at blive sendt" in page
    cache.delete(f"mailing-send:{key}")


def test_long_lists_of_names_are_cut_short(facilitator_client, course, people, settings):
    Participant.objects.bulk_create(
        Participant(course=course, display_name=f"Deltager {i}", email=f"d{i}@kommune.dk") for i in range(10)
    )
    settings.EMAIL_BACKEND = DOWN
    page = send(facilitator_client, course, "invitation", uuid.uuid4())
    assert "Mailen kom ikke af sted til 13 deltagere (Mia, Ole, Deltager 0, " in page
    assert "Deltager 5, 4 flere, 1 anonym deltager)" in page


@pytest.mark.parametrize("backend", [DOWN, "tests.mail_backends.RefusingBackend"])
def test_a_phone_joining_while_the_mail_fails_joins_and_sees_its_link(backend, course, settings):
    settings.EMAIL_BACKEND = backend
    RefusingBackend.refused = {"mia@kommune.dk"}
    try:
        phone = Client(REMOTE_ADDR="10.0.0.7")
        response = phone.post(f"/j/{course.join_code}/", {"display_name": "Mia", "email": "mia@kommune.dk"})
    finally:
        RefusingBackend.refused = set()
    assert response.status_code == 302
    assert participant_cookie_name(course.pk) in response.cookies
    participant = course.participants.get()
    page = phone.get(response["Location"]).content.decode()
    message = re.search(r'<div class="messages" role="status">(.*?)</div>', page, re.S).group(1)
    assert "Velkommen" in message
    assert "Vi kunne ikke sende linket til din e-mail" in message
    assert f"http://testserver/deltager/retur/{participant.token}/" in message
    assert mail.outbox == []
