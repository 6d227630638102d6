"""The kick-off: voting and proposing from phones, the facilitator's view and the presenter screen."""

import re

import pytest
from django.test import Client

from sessions import services
from sessions.decorators import participant_remember
from sessions.models import CoursePhase, Kickoff, Participant, Proposal, Touchpoint, Vote
from sessions.services import vote_cast


@pytest.fixture
def phone_of(course):
    def make(participant=None):
        participant = participant or Participant.objects.create(course=course)
        client = Client()
        from django.http import HttpResponse

        response = HttpResponse()
        participant_remember(response, participant)
        for name, morsel in response.cookies.items():
            client.cookies[name] = morsel.value
        client.participant = participant
        return client

    return make


def vote(client, course, touchpoint):
    return client.post(f"/deltager/{course.pk}/stem/", {"touchpoint": touchpoint.pk})


def live(course):
    return f"/forloeb/{course.pk}/skaerm/opstart/live/"


# Voting from phones


@pytest.mark.django_db
def test_a_phone_votes(phone_of, course, touchpoints):
    phone = phone_of()
    response = vote(phone, course, touchpoints[1])
    assert response.status_code == 302
    assert Vote.objects.get().touchpoint == touchpoints[1]


@pytest.mark.django_db
def test_voting_again_changes_the_vote(phone_of, course, touchpoints):
    phone = phone_of()
    vote(phone, course, touchpoints[1])
    vote(phone, course, touchpoints[2])
    assert Vote.objects.count() == 1
    assert Vote.objects.get().touchpoint == touchpoints[2]


@pytest.mark.django_db
def test_the_home_page_shows_the_vote(phone_of, course, touchpoints):
    phone = phone_of()
    vote(phone, course, touchpoints[2])
    body = phone.get(f"/deltager/{course.pk}/").content.decode()
    assert "Din stemme: <strong>SMS-påmindelser</strong>" in body


@pytest.mark.django_db
def test_voting_after_the_choice_is_refused(phone_of, course, touchpoints, facilitator_client):
    phone = phone_of()
    vote(phone, course, touchpoints[0])
    facilitator_client.post(f"/forloeb/{course.pk}/opstart/vaelg/", {"touchpoint": touchpoints[0].pk})
    response = vote(phone, course, touchpoints[1])
    assert response.status_code == 400
    assert Vote.objects.get().touchpoint == touchpoints[0]


@pytest.mark.django_db
def test_voting_for_another_workplaces_touchpoint_is_refused(phone_of, course, stranger):
    foreign = Touchpoint.objects.create(workplace=stranger.workplaces.get(), name="Fremmed")
    response = vote(phone_of(), course, foreign)
    assert response.status_code == 400
    assert "Vælg et servicemøde fra listen" in response.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_voting_for_an_archived_touchpoint_is_refused(phone_of, course, touchpoints):
    touchpoints[2].archived = True
    touchpoints[2].save()
    assert vote(phone_of(), course, touchpoints[2]).status_code == 400
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_voting_without_a_cookie_is_forbidden(course, touchpoints):
    assert vote(Client(), course, touchpoints[0]).status_code == 403


@pytest.mark.django_db
def test_voting_needs_post(phone_of, course):
    assert phone_of().get(f"/deltager/{course.pk}/stem/").status_code == 405


@pytest.mark.django_db
def test_a_vote_bumps_the_revision(phone_of, course, touchpoints):
    vote(phone_of(), course, touchpoints[0])
    assert Kickoff.objects.get(course=course).revision >= 1


# Proposals from the room


@pytest.mark.django_db
def test_a_phone_proposes_a_touchpoint(phone_of, course):
    phone = phone_of()
    response = phone.post(f"/deltager/{course.pk}/forslag/", {"name": "Chatbot på hjemmesiden"})
    assert response.status_code == 302
    assert Proposal.objects.get().name == "Chatbot på hjemmesiden"


@pytest.mark.django_db
def test_the_same_proposal_twice_is_stored_once(phone_of, course):
    phone = phone_of()
    phone.post(f"/deltager/{course.pk}/forslag/", {"name": "Chatbot"})
    phone_of().post(f"/deltager/{course.pk}/forslag/", {"name": "chatbot"})
    assert Proposal.objects.count() == 1


@pytest.mark.django_db
def test_an_empty_proposal_is_refused_in_danish(phone_of, course):
    response = phone_of().post(f"/deltager/{course.pk}/forslag/", {"name": "  "})
    assert response.status_code == 400
    assert "Skriv dit forslag" in response.content.decode()


@pytest.mark.django_db
def test_a_proposal_with_a_cpr_number_is_refused_and_kept(phone_of, course):
    response = phone_of().post(f"/deltager/{course.pk}/forslag/", {"name": "Borger 010203-1234"})
    body = response.content.decode()
    assert "CPR-nummer" in body
    assert "Borger 010203-1234" in body
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_a_proposal_with_html_is_shown_escaped(phone_of, course, facilitator_client):
    phone_of().post(f"/deltager/{course.pk}/forslag/", {"name": "<b>fed</b>"})
    body = facilitator_client.get(f"/forloeb/{course.pk}/skaerm/opstart/").content.decode()
    assert "&lt;b&gt;fed&lt;/b&gt;" in body
    assert "<b>fed</b>" not in body


@pytest.mark.django_db
def test_the_facilitator_accepts_a_proposal_onto_the_ballot(phone_of, course, facilitator_client, workplace):
    phone_of().post(f"/deltager/{course.pk}/forslag/", {"name": "Chatbot"})
    proposal = Proposal.objects.get()
    response = facilitator_client.post(f"/forloeb/{course.pk}/opstart/forslag/{proposal.pk}/")
    assert response.status_code == 302
    touchpoint = workplace.touchpoints.get(name="Chatbot")
    proposal.refresh_from_db()
    assert proposal.touchpoint == touchpoint
    phone = phone_of()
    assert vote(phone, course, touchpoint).status_code == 302


@pytest.mark.django_db
def test_a_leader_cannot_accept_a_proposal(course, leader_client):
    proposal = Proposal.objects.create(course=course, name="Chatbot")
    assert leader_client.post(f"/forloeb/{course.pk}/opstart/forslag/{proposal.pk}/").status_code == 403


@pytest.mark.django_db
def test_a_stranger_cannot_see_the_kickoff(course, stranger_client):
    assert stranger_client.get(f"/forloeb/{course.pk}/opstart/").status_code == 404
    assert stranger_client.get(f"/forloeb/{course.pk}/skaerm/opstart/").status_code == 404
    assert stranger_client.get(live(course)).status_code == 404


# Facilitator view


@pytest.mark.django_db
def test_the_facilitator_view_fills_in_the_proposed_touchpoint(course, facilitator_client):
    response = facilitator_client.get(f"/forloeb/{course.pk}/opstart/")
    assert response.status_code == 200
    assert "Mit forslag er Online tidsbestilling" in response.content.decode()


@pytest.mark.django_db
def test_a_leader_gets_403_on_the_kickoff(course, leader_client):
    assert leader_client.get(f"/forloeb/{course.pk}/opstart/").status_code == 403
    assert leader_client.get(f"/forloeb/{course.pk}/skaerm/opstart/").status_code == 403


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login(course):
    response = Client().get(f"/forloeb/{course.pk}/opstart/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_the_timer_starts_and_pauses_in_the_database(course, facilitator_client):
    facilitator_client.post(f"/forloeb/{course.pk}/opstart/ur/start/")
    kickoff = Kickoff.objects.get(course=course)
    assert kickoff.running
    course.refresh_from_db()
    assert course.phase == CoursePhase.KICKOFF
    facilitator_client.post(f"/forloeb/{course.pk}/opstart/ur/pause/")
    kickoff.refresh_from_db()
    assert not kickoff.running
    facilitator_client.post(f"/forloeb/{course.pk}/opstart/ur/nulstil/")
    kickoff.refresh_from_db()
    assert kickoff.remaining_seconds() == 20 * 60


@pytest.mark.django_db
def test_an_unknown_timer_action_answers_404(course, facilitator_client):
    assert facilitator_client.post(f"/forloeb/{course.pk}/opstart/ur/spol/").status_code == 404


@pytest.mark.django_db
def test_the_timer_needs_post(course, facilitator_client):
    assert facilitator_client.get(f"/forloeb/{course.pk}/opstart/ur/start/").status_code == 405


@pytest.mark.django_db
def test_a_leader_cannot_start_the_timer(course, leader_client):
    assert leader_client.post(f"/forloeb/{course.pk}/opstart/ur/start/").status_code == 403
    assert not Kickoff.objects.filter(course=course, timer_started_at__isnull=False).exists()


@pytest.mark.django_db
def test_confirming_the_choice_closes_voting(course, touchpoints, facilitator_client):
    response = facilitator_client.post(f"/forloeb/{course.pk}/opstart/vaelg/", {"touchpoint": touchpoints[2].pk})
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.chosen_touchpoint == touchpoints[2]
    assert course.phase == CoursePhase.INTERVIEWS


@pytest.mark.django_db
def test_confirming_twice_keeps_the_first_choice(course, touchpoints, facilitator_client):
    facilitator_client.post(f"/forloeb/{course.pk}/opstart/vaelg/", {"touchpoint": touchpoints[2].pk})
    facilitator_client.post(f"/forloeb/{course.pk}/opstart/vaelg/", {"touchpoint": touchpoints[1].pk})
    course.refresh_from_db()
    assert course.chosen_touchpoint == touchpoints[2]


@pytest.mark.django_db
def test_a_leader_cannot_confirm(course, touchpoints, leader_client):
    assert (
        leader_client.post(f"/forloeb/{course.pk}/opstart/vaelg/", {"touchpoint": touchpoints[2].pk}).status_code == 403
    )


@pytest.mark.django_db
def test_known_facts_are_saved(course, facilitator_client):
    facilitator_client.post(f"/forloeb/{course.pk}/opstart/viden/", {"known_facts": "Halvdelen booker online."})
    course.refresh_from_db()
    assert course.known_facts == "Halvdelen booker online."


@pytest.mark.django_db
def test_known_facts_with_a_cpr_number_are_refused_and_kept(course, facilitator_client):
    text = "Borgeren 010203-1234 klagede"
    response = facilitator_client.post(f"/forloeb/{course.pk}/opstart/viden/", {"known_facts": text})
    assert response.status_code == 400
    assert text in response.content.decode()
    course.refresh_from_db()
    assert course.known_facts == ""


@pytest.mark.django_db
def test_the_recruitment_plan_is_saved(course, touchpoints, facilitator_client):
    facilitator_client.post(f"/forloeb/{course.pk}/opstart/vaelg/", {"touchpoint": touchpoints[0].pk})
    facilitator_client.post(f"/forloeb/{course.pk}/opstart/borgere/", {"recruitment_plan": "Spørg i forhallen."})
    course.refresh_from_db()
    assert course.recruitment_plan == "Spørg i forhallen."
    assert "Spørg i forhallen." in facilitator_client.get(f"/forloeb/{course.pk}/opstart/").content.decode()


# Presenter screen and its polling


@pytest.mark.django_db
def test_the_presenter_shows_the_qr_code_and_the_code(course, facilitator_client):
    body = facilitator_client.get(f"/forloeb/{course.pk}/skaerm/opstart/").content.decode()
    assert "<svg" in body
    assert course.join_code in body
    assert "Stikord" not in body


@pytest.mark.django_db
def test_the_presenter_poll_is_a_partial(course, facilitator_client):
    response = facilitator_client.get(live(course), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="live"' in body
    assert response["ETag"]


@pytest.mark.django_db
def test_an_unchanged_poll_answers_304(course, facilitator_client):
    etag = facilitator_client.get(live(course))["ETag"]
    response = facilitator_client.get(live(course), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


@pytest.mark.django_db
def test_a_vote_changes_the_etag(course, touchpoints, facilitator_client, phone_of):
    etag = facilitator_client.get(live(course))["ETag"]
    vote(phone_of(), course, touchpoints[1])
    response = facilitator_client.get(live(course), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "1 stemme" in response.content.decode()


@pytest.mark.django_db
def test_a_join_changes_the_etag(course, facilitator_client):
    etag = facilitator_client.get(live(course))["ETag"]
    Client().post(f"/j/{course.join_code}/", {"display_name": "", "email": ""})
    assert facilitator_client.get(live(course), HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.django_db
def test_the_facilitator_poll_is_a_partial_with_etag(course, facilitator_client):
    response = facilitator_client.get(f"/forloeb/{course.pk}/opstart/live/")
    assert 'id="live"' in response.content.decode()
    assert "<html" not in response.content.decode()
    etag = response["ETag"]
    assert facilitator_client.get(f"/forloeb/{course.pk}/opstart/live/", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 60])
def test_presenter_poll_queries_do_not_grow(
    count, course, touchpoints, facilitator_client, add_participants, django_assert_max_num_queries
):
    for i, participant in enumerate(add_participants(count)):
        vote_cast(participant=participant, touchpoint=touchpoints[i % 3])
        Proposal.objects.create(course=course, name=f"Forslag {i}", participant=participant)
    with django_assert_max_num_queries(10):
        response = facilitator_client.get(live(course))
    assert response.status_code == 200
    with django_assert_max_num_queries(6):
        assert facilitator_client.get(live(course), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 60])
def test_kickoff_pages_queries_do_not_grow(
    count, course, touchpoints, facilitator_client, add_participants, django_assert_max_num_queries, phone_of
):
    participants = add_participants(count)
    for i, participant in enumerate(participants):
        vote_cast(participant=participant, touchpoint=touchpoints[i % 3])
    with django_assert_max_num_queries(16):
        assert facilitator_client.get(f"/forloeb/{course.pk}/opstart/").status_code == 200
    with django_assert_max_num_queries(10):
        assert facilitator_client.get(f"/forloeb/{course.pk}/skaerm/opstart/").status_code == 200
    phone = phone_of(participants[0])
    with django_assert_max_num_queries(8):
        assert phone.get(f"/deltager/{course.pk}/").status_code == 200


# The phone learns when the course moves on


def status(client, course, phase, chosen=""):
    return client.get(f"/deltager/{course.pk}/status/?fase={phase}&valgt={chosen}", HTTP_HX_REQUEST="true")


@pytest.mark.django_db
def test_the_phone_status_is_quiet_while_nothing_changed(phone_of, course):
    phone = phone_of()
    response = status(phone, course, course.phase)
    assert response.status_code == 200
    assert "gået videre" not in response.content.decode()
    assert status(phone, course, course.phase).status_code == 200
    assert (
        phone.get(
            f"/deltager/{course.pk}/status/?fase={course.phase}&valgt=", HTTP_IF_NONE_MATCH=response["ETag"]
        ).status_code
        == 304
    )


@pytest.mark.django_db
def test_the_phone_status_says_when_the_choice_is_made(phone_of, course, touchpoints, facilitator_client):
    phone = phone_of()
    facilitator_client.post(f"/forloeb/{course.pk}/opstart/vaelg/", {"touchpoint": touchpoints[0].pk})
    body = status(phone, course, "preparation").content.decode()
    assert "Forløbet er gået videre" in body
    assert f'href="/deltager/{course.pk}/"' in body


@pytest.mark.django_db
def test_the_phone_status_needs_the_cookie(course):
    assert status(Client(), course, "preparation").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 60])
def test_phone_status_queries_do_not_grow(count, phone_of, course, add_participants, django_assert_max_num_queries):
    participants = add_participants(count)
    phone = phone_of(participants[0])
    with django_assert_max_num_queries(3):
        assert status(phone, course, course.phase).status_code == 200


@pytest.mark.django_db
def test_the_same_vote_again_leaves_the_screens_alone(phone_of, course, touchpoints):
    phone = phone_of()
    vote(phone, course, touchpoints[1])
    revision = Kickoff.objects.get(course=course).revision
    vote(phone, course, touchpoints[1])
    assert Kickoff.objects.get(course=course).revision == revision


@pytest.mark.django_db
def test_the_facilitator_votes_for_someone_without_a_phone(course, touchpoints, facilitator_client):
    response = facilitator_client.post(f"/forloeb/{course.pk}/opstart/stem/", {"touchpoint": touchpoints[2].pk})
    assert response.status_code == 302
    assert Vote.objects.get().touchpoint == touchpoints[2]
    assert not course.participants.exists()  # a vote without a participant, as a dot for someone without a phone


@pytest.mark.django_db
def test_a_vote_on_behalf_after_the_choice_is_refused(course, touchpoints, facilitator_client):
    facilitator_client.post(f"/forloeb/{course.pk}/opstart/vaelg/", {"touchpoint": touchpoints[0].pk})
    response = facilitator_client.post(f"/forloeb/{course.pk}/opstart/stem/", {"touchpoint": touchpoints[2].pk})
    assert "Afstemningen er slut" in facilitator_client.get(response["Location"]).content.decode()
    assert not Vote.objects.exists()
    assert not course.participants.exists()


@pytest.mark.django_db
def test_editing_the_list_refreshes_the_screens(course, touchpoints, facilitator_client, workplace):
    facilitator_client.post(f"/forloeb/{course.pk}/opstart/ur/start/")
    etag = facilitator_client.get(live(course))["ETag"]
    facilitator_client.post(
        f"/arbejdsplads/{workplace.pk}/servicemoeder/{touchpoints[2].pk}/arkiver/", {"archived": "1"}
    )
    response = facilitator_client.get(live(course), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "SMS-påmindelser" not in response.content.decode()


@pytest.mark.django_db
def test_the_phone_status_brings_the_new_step_and_a_grown_list(
    phone_of, course, touchpoints, facilitator_client, django_assert_max_num_queries
):
    """A poll that shows the list as it is costs three queries; a proposal put on the list comes with the next
    poll, and a confirmed choice brings the new step with a notice (issue 11)."""
    phone = phone_of()
    page = phone.get(f"/deltager/{course.pk}/").content.decode()
    url = re.search(r'hx-get="([^"]*status/[^"]*)"', page).group(1).replace("&amp;", "&")
    with django_assert_max_num_queries(3):
        body = phone.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "phone-choices" not in body and "gået videre" not in body
    Proposal.objects.create(course=course, name="Chatbot")
    services.proposal_accept(proposal=Proposal.objects.get(name="Chatbot"))
    body = phone.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="phone-choices" hx-swap-oob="true"' in body and "Chatbot" in body and "gået videre" not in body
    facilitator_client.post(f"/forloeb/{course.pk}/opstart/vaelg/", {"touchpoint": touchpoints[0].pk})
    body = phone.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Forløbet er gået videre" in body and 'aria-labelledby="now-heading" hx-swap-oob="true"' in body
    assert "Spørg mindst én borger" in body and 'id="phone-propose" hx-swap-oob="true"' in body
