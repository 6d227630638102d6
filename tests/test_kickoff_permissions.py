"""Every new facilitator page: a leader gets 403, a facilitator of another workplace 404, a visitor the login."""

import pytest
from django.test import Client

from sessions.models import ChecklistItem, Proposal

pytestmark = pytest.mark.django_db

KEY = {"client_key": "8a6e0804-2bd0-4672-b79d-d97027f2a7a0"}


def facilitator_only(course, touchpoints):
    item = ChecklistItem.objects.filter(tool=course.tool).first()
    proposal = Proposal.objects.create(course=course, name="Chatbot")
    c, w, t = course.pk, course.workplace_id, touchpoints[0].pk
    return [
        ("get", f"/forloeb/{c}/opstart/", {}),
        ("get", f"/forloeb/{c}/opstart/live/", {}),
        ("get", f"/forloeb/{c}/skaerm/opstart/", {}),
        ("get", f"/forloeb/{c}/skaerm/opstart/live/", {}),
        ("post", f"/forloeb/{c}/opstart/ur/start/", {}),
        ("post", f"/forloeb/{c}/opstart/forslag/{proposal.pk}/", {}),
        ("post", f"/forloeb/{c}/opstart/vaelg/", {"touchpoint": t}),
        ("post", f"/forloeb/{c}/opstart/stem/", {"touchpoint": t}),
        ("post", f"/forloeb/{c}/opstart/viden/", {"known_facts": "x"}),
        ("post", f"/forloeb/{c}/opstart/borgere/", {"recruitment_plan": "x"}),
        ("get", f"/forloeb/{c}/invitation/", {}),
        ("post", f"/forloeb/{c}/invitation/send/", KEY),
        ("post", f"/forloeb/{c}/interviewperiode/paamind/", KEY),
        ("get", f"/forloeb/{c}/ret/", {}),
        ("post", f"/forloeb/{c}/forberedelse/{item.pk}/", {"done": "1"}),
        ("post", f"/arbejdsplads/{w}/servicemoeder/", {"name": "Ny"}),
        ("post", f"/arbejdsplads/{w}/servicemoeder/eksempler/", {}),
        ("get", f"/arbejdsplads/{w}/servicemoeder/{t}/", {}),
        ("post", f"/arbejdsplads/{w}/servicemoeder/{t}/arkiver/", {}),
    ]


def members_read(course):
    c, w = course.pk, course.workplace_id
    return [f"/forloeb/{c}/forberedelse/", f"/forloeb/{c}/interviewperiode/", f"/arbejdsplads/{w}/servicemoeder/"]


def test_a_leader_gets_403_on_every_facilitator_action(leader_client, course, touchpoints):
    for method, url, data in facilitator_only(course, touchpoints):
        assert getattr(leader_client, method)(url, data).status_code == 403, url


def test_a_stranger_gets_404_everywhere(stranger_client, course, touchpoints):
    for method, url, data in facilitator_only(course, touchpoints):
        assert getattr(stranger_client, method)(url, data).status_code == 404, url
    for url in members_read(course):
        assert stranger_client.get(url).status_code == 404, url


def test_a_visitor_is_sent_to_login(course, touchpoints):
    visitor = Client()
    for method, url, data in facilitator_only(course, touchpoints):
        response = getattr(visitor, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_a_leader_reads_the_member_pages(leader_client, course):
    for url in members_read(course):
        assert leader_client.get(url).status_code == 200, url


def test_nothing_changed_for_the_refused(leader_client, stranger_client, course, touchpoints):
    for client in (leader_client, stranger_client, Client()):
        for method, url, data in facilitator_only(course, touchpoints):
            getattr(client, method)(url, data)
    course.refresh_from_db()
    assert course.chosen_touchpoint is None
    assert course.known_facts == ""
    assert not course.checklist_ticks.exists()
    assert not course.mailings.exists()
    assert not course.votes.exists()
    assert not course.workplace.touchpoints.filter(name="Ny").exists()
