"""The invitation and reminder e-mails, the calendar invitation, and the interview-period status."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from interviews.models import ReflectionSheet, SheetStatus
from sessions.models import CoursePhase, Mailing, Participant

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def chosen(course, touchpoints):
    course.chosen_touchpoint = touchpoints[1]
    course.phase = CoursePhase.INTERVIEWS
    course.meeting_starts_at = datetime(2026, 12, 10, 13, 30, tzinfo=CPH)
    course.meeting_place = "Mødelokale 2, Rådhuset"
    course.interview_deadline = datetime(2026, 12, 8).date()
    course.save()
    return course


@pytest.fixture
def people(chosen):
    return [
        Participant.objects.create(course=chosen, display_name="Mia", email="mia@kommune.dk"),
        Participant.objects.create(course=chosen, email="anon@kommune.dk"),
        Participant.objects.create(course=chosen, display_name="Uden mail"),
    ]


def send_invitation(client, course, key="8a6e0804-2bd0-4672-b79d-d97027f2a7a0"):
    return client.post(f"/forloeb/{course.pk}/invitation/send/", {"client_key": key})


@pytest.mark.django_db
def test_the_preview_has_our_danish_text(facilitator_client, chosen, people):
    response = facilitator_client.get(f"/forloeb/{chosen.pk}/invitation/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "oplevelsen af Selvbetjeningsskærm" in body
    assert "Frist for interviewet: tirsdag 8. december" in body
    assert "torsdag 10. december 2026 kl. 13:30" in body
    assert f"/j/{chosen.join_code}/" in body
    assert "Kopiér teksten" in body


@pytest.mark.django_db
def test_sending_reaches_those_with_an_address_with_their_own_link_and_the_ics(facilitator_client, chosen, people):
    response = send_invitation(facilitator_client, chosen)
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["anon@kommune.dk", "mia@kommune.dk"]
    message = next(m for m in mail.outbox if m.to == ["mia@kommune.dk"])
    assert message.subject == "Borgerens blik: vi undersøger Selvbetjeningsskærm"
    assert f"/deltager/retur/{people[0].token}/" in message.body
    assert f"/deltager/retur/{people[1].token}/" not in message.body
    assert "Mødelokale 2, Rådhuset" in message.body
    name, content, mimetype = message.attachments[0]
    assert name == "opsamlingsmoede.ics"
    assert mimetype == "text/calendar"
    assert "DTSTART:20261210T123000Z" in content


@pytest.mark.django_db
def test_a_double_click_sends_once(facilitator_client, chosen, people):
    send_invitation(facilitator_client, chosen)
    response = send_invitation(facilitator_client, chosen)
    assert len(mail.outbox) == 2
    assert Mailing.objects.count() == 1
    follow = facilitator_client.get(response["Location"]).content.decode()
    assert "allerede sendt" in follow


@pytest.mark.django_db
def test_a_send_without_key_sends_nothing(facilitator_client, chosen, people):
    facilitator_client.post(f"/forloeb/{chosen.pk}/invitation/send/", {})
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_leader_cannot_send_or_preview(leader_client, chosen, people):
    assert leader_client.get(f"/forloeb/{chosen.pk}/invitation/").status_code == 403
    assert send_invitation(leader_client, chosen).status_code == 403
    assert mail.outbox == []


@pytest.mark.django_db
def test_sending_needs_post(facilitator_client, chosen):
    assert facilitator_client.get(f"/forloeb/{chosen.pk}/invitation/send/").status_code == 405


@pytest.mark.django_db
def test_the_ics_downloads(facilitator_client, chosen):
    response = facilitator_client.get(f"/forloeb/{chosen.pk}/opsamlingsmoede.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "DTSTART:20261210T123000Z\r\n" in text
    assert "DTEND:20261210T133000Z\r\n" in text
    assert "LOCATION:Mødelokale 2\\, Rådhuset\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


@pytest.mark.django_db
def test_the_ics_is_404_without_a_meeting_date(facilitator_client, course):
    assert facilitator_client.get(f"/forloeb/{course.pk}/opsamlingsmoede.ics").status_code == 404


@pytest.mark.django_db
def test_a_stranger_cannot_download_the_ics(stranger_client, chosen):
    assert stranger_client.get(f"/forloeb/{chosen.pk}/opsamlingsmoede.ics").status_code == 404


@pytest.mark.django_db
def test_the_interview_status_shows_names_only_when_given(leader_client, chosen, people):
    ReflectionSheet.objects.create(participant=people[0], status=SheetStatus.SUBMITTED)
    ReflectionSheet.objects.create(participant=people[1], status=SheetStatus.DRAFT)
    response = leader_client.get(f"/forloeb/{chosen.pk}/interviewperiode/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mia" in body
    assert "Anonym deltager" in body
    assert "anon@kommune.dk" not in body
    assert "1 har afleveret" in body
    assert "1 har en kladde" in body


@pytest.mark.django_db
def test_the_reminder_goes_to_those_not_done_once(facilitator_client, chosen, people):
    ReflectionSheet.objects.create(participant=people[0], status=SheetStatus.SUBMITTED)
    url = f"/forloeb/{chosen.pk}/interviewperiode/paamind/"
    key = "4b7a3c57-3ec1-4a4b-8e3f-5d0a9cb0a111"
    facilitator_client.post(url, {"client_key": key})
    facilitator_client.post(url, {"client_key": key})
    assert [m.to for m in mail.outbox] == [["anon@kommune.dk"]]
    assert mail.outbox[0].subject == "Påmindelse: interview om Selvbetjeningsskærm"


@pytest.mark.django_db
def test_a_leader_cannot_send_a_reminder(leader_client, chosen, people):
    response = leader_client.post(
        f"/forloeb/{chosen.pk}/interviewperiode/paamind/", {"client_key": "4b7a3c57-3ec1-4a4b-8e3f-5d0a9cb0a111"}
    )
    assert response.status_code == 403
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 60])
def test_interview_status_queries_do_not_grow(
    count, facilitator_client, chosen, add_participants, django_assert_max_num_queries
):
    for participant in add_participants(count):
        ReflectionSheet.objects.create(participant=participant)
    with django_assert_max_num_queries(14):
        assert facilitator_client.get(f"/forloeb/{chosen.pk}/interviewperiode/").status_code == 200


@pytest.mark.django_db
def test_the_invitation_links_to_the_guide_the_personal_link_and_handouts(facilitator_client, chosen, people):
    send_invitation(facilitator_client, chosen)
    body = mail.outbox[0].body
    assert f"/deltager/{chosen.pk}/spoergeguide/" in body
    assert "/deltager/retur/" in body
    assert f"/j/{chosen.join_code}/m1.pdf" in body
    assert f"/j/{chosen.join_code}/m2.pdf" in body


@pytest.mark.django_db
def test_the_handouts_open_with_the_join_code_without_login(client, chosen):
    for name in ("m1", "m2"):
        response = client.get(f"/j/{chosen.join_code}/{name}.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_the_join_code_opens_no_other_document(client, chosen):
    for name in ("opsamling", "m2-udfyldt", "kort", "drejebog"):
        assert client.get(f"/j/{chosen.join_code}/{name}.pdf").status_code == 404


@pytest.mark.django_db
def test_guessing_codes_for_handouts_is_rate_limited(client, chosen):
    for _ in range(10):
        assert client.get("/j/ZZZZZZ/m1.pdf").status_code == 404
    assert client.get(f"/j/{chosen.join_code}/m1.pdf").status_code == 429
