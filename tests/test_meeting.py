"""The follow-up meeting: services, permissions, phone writes, polling and query counts."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from interviews.models import ReflectionSheet
from sessions import meeting as svc
from sessions.models import Card, Dot, Group, GroupKind, Meeting, MethodProposal, Surprise, Zone

from .phones import as_phone

pytestmark = pytest.mark.django_db


def go_to(course, user, key):
    """Start the meeting and step forward until the activity with this key."""
    if not Meeting.objects.filter(course=course, started_at__isnull=False).exists():
        svc.meeting_start(course=course, by=user)
    for _ in range(20):
        meeting = Meeting.objects.select_related("activity").get(course=course)
        if meeting.activity.key == key:
            return meeting
        svc.meeting_go(course=course, by=user, step="next")
    raise AssertionError(key)


def control(client, course, action, **data):
    return client.post(reverse("dialogue:meeting_control", args=[course.pk]), {"action": action, **data})


# --- meeting state and timer ------------------------------------------------------------------


def test_starting_the_meeting_moves_the_course_and_the_phones_to_it(course, facilitator, add_participants):
    phone = as_phone(Client(), add_participants(1)[0])
    svc.meeting_start(course=course, by=facilitator)
    course.refresh_from_db()
    assert course.phase == "meeting"
    page = phone.get(reverse("dialogue:participant_home", args=[course.pk])).content.decode()
    assert reverse("dialogue:meeting_phone", args=[course.pk]) in page


def test_start_next_item_and_back(course, facilitator):
    meeting = svc.meeting_start(course=course, by=facilitator)
    assert meeting.activity.agenda_item.number == 2 and meeting.version > 1
    with pytest.raises(ValidationError):
        svc.meeting_start(course=course, by=facilitator)
    meeting = svc.meeting_go(course=course, by=facilitator, step="item")
    assert meeting.activity.key == "zones"
    meeting = svc.meeting_go(course=course, by=facilitator, step="next")
    assert meeting.activity.key == "card_round" and meeting.sub_started_at is not None
    meeting = svc.meeting_go(course=course, by=facilitator, step="back")
    assert meeting.activity.key == "zones"
    with pytest.raises(ValidationError):
        svc.meeting_go(course=course, by=facilitator, step="sideways")


def test_timer_pause_resume_extend(course, facilitator):
    svc.meeting_start(course=course, by=facilitator)
    meeting = svc.timer_pause(course=course, by=facilitator)
    state = svc.timer_state(meeting)
    assert state["running"] is False and 9 * 60 < state["remaining"] <= 10 * 60
    with pytest.raises(ValidationError):
        svc.timer_pause(course=course, by=facilitator)
    meeting = svc.timer_resume(course=course, by=facilitator)
    assert meeting.paused_at is None
    before = svc.timer_state(meeting)["deadline"]
    meeting = svc.timer_extend(course=course, by=facilitator, minutes=5)
    meeting = svc.timer_extend(course=course, by=facilitator, minutes=1)
    assert svc.timer_state(meeting)["deadline"] - before == 6 * 60 * 1000
    with pytest.raises(ValidationError):
        svc.timer_extend(course=course, by=facilitator, minutes=7)
    meeting = svc.meeting_go(course=course, by=facilitator, step="item")
    assert meeting.extra_minutes == 0


@pytest.mark.parametrize("who", ["leader", "stranger", None])
def test_controls_refuse_everyone_but_the_facilitator(course, leader, stranger, who):
    user = {"leader": leader, "stranger": stranger, None: None}[who]
    for call in (
        lambda: svc.meeting_start(course=course, by=user),
        lambda: svc.timer_pause(course=course, by=user),
        lambda: svc.meeting_end(course=course, by=user),
        lambda: svc.meeting_reopen(course=course, by=user),
        lambda: svc.read_move(course=course, by=user, delta=1),
        lambda: svc.zones_assign(course=course, by=user),
        lambda: svc.groups_form(course=course, by=user, kind=GroupKind.PAIR),
        lambda: svc.card_post(course=course, by=user, text="x", zone=Zone.POSITIVE, client_key=uuid.uuid4()),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not Meeting.objects.filter(course=course, started_at__isnull=False).exists()


def test_control_view_permissions(course, facilitator_client, leader_client, stranger_client, add_participants):
    participant = add_participants(1)[0]
    phone = as_phone(Client(), participant)
    assert control(leader_client, course, "start").status_code == 403
    assert control(stranger_client, course, "start").status_code == 404
    assert control(phone, course, "start").status_code == 302  # to login
    assert leader_client.get(reverse("dialogue:meeting", args=[course.pk])).status_code == 403
    assert facilitator_client.get(reverse("dialogue:meeting", args=[course.pk])).status_code == 200
    assert facilitator_client.get(reverse("dialogue:meeting_control", args=[course.pk])).status_code == 405
    assert not Meeting.objects.filter(course=course, started_at__isnull=False).exists()
    for action in ["start", "pause", "resume", "plus1", "plus5", "item", "next", "back", "reveal", "conceal"]:
        response = control(facilitator_client, course, action)
        assert response.status_code == 302, (action, response.content[:500])
    assert control(facilitator_client, course, "nonsense").status_code == 400
    assert control(facilitator_client, course, "resume").status_code == 400  # not paused: said, not crashed


def test_dashboard_shows_agenda_clock_times_and_filled_prompt(course, facilitator, facilitator_client):
    svc.meeting_start(course=course, by=facilitator)
    response = facilitator_client.get(reverse("dialogue:meeting", args=[course.pk]))
    html = response.content.decode()
    assert "Introduktion" in html and "Hvad kan vi lære?" in html and "20 min." in html
    assert "Online tidsbestilling" in html  # {touchpoint} filled
    assert 'data-shortcut="n"' in html and "js/meeting.js" in html
    presenter = facilitator_client.get(reverse("dialogue:meeting_presenter", args=[course.pk]))
    assert presenter.status_code == 200 and b"data-deadline" in presenter.content


# --- zones and cards --------------------------------------------------------------------------


def test_zones_balanced_fill_and_move(course, facilitator, add_participants):
    people = add_participants(7)
    svc.zones_assign(course=course, by=facilitator, reshuffle=True)
    zones = [p.zone for p in course.participants.all()]
    assert sorted((zones.count("positive"), zones.count("negative"))) == [3, 4]
    late = add_participants(1)[0]
    svc.zones_assign(course=course, by=facilitator)
    late.refresh_from_db()
    zones = [p.zone for p in course.participants.all()]
    assert late.zone and zones.count("positive") == zones.count("negative") == 4
    before = people[0].zone if people[0].refresh_from_db() is None else None
    svc.zone_move(course=course, by=facilitator, participant_id=people[0].pk)
    people[0].refresh_from_db()
    assert people[0].zone != before
    svc.participant_set_present(course=course, by=facilitator, participant_id=people[1].pk, present=False)
    people[1].refresh_from_db()
    assert people[1].zone == "" and not people[1].present


def card_url(course):
    return reverse("dialogue:meeting_card", args=[course.pk])


def test_phone_card_round(course, facilitator, add_participants):
    people = add_participants(2)
    sheet = ReflectionSheet.objects.create(
        participant=people[0], status="submitted", answers={"positives": ["Hurtigt svar"], "negatives": ["Lang kø"]}
    )
    assert sheet.items("negatives") == ["Lang kø"]
    svc.zones_assign(course=course, by=facilitator, reshuffle=True)
    me = course.participants.get(pk=people[0].pk)
    phone = as_phone(Client(), me)
    key = str(uuid.uuid4())
    # Outside the card round: refused, text kept.
    go_to(course, facilitator, "zones")
    response = phone.post(card_url(course), {"text": "Svært at finde", "zone": me.zone, "client_key": key})
    assert response.status_code == 400 and "Kortrunden er ikke i gang" in response.content.decode()
    assert "Svært at finde" in response.content.decode()
    go_to(course, facilitator, "card_round")
    page = phone.get(reverse("dialogue:meeting_phone", args=[course.pk])).content.decode()
    mine = "Hurtigt svar" if me.zone == Zone.POSITIVE else "Lang kø"
    other = "Lang kø" if me.zone == Zone.POSITIVE else "Hurtigt svar"
    assert mine in page and other not in page
    # Double tap: one card.
    for _ in range(2):
        assert (
            phone.post(card_url(course), {"text": "Svært at finde", "zone": me.zone, "client_key": key}).status_code
            == 302
        )
    assert Card.objects.filter(course=course).count() == 1
    other_zone = Zone.NEGATIVE if me.zone == Zone.POSITIVE else Zone.POSITIVE
    bad = [
        ({"text": "", "zone": me.zone}, "Skriv"),
        ({"text": "x" * 281, "zone": me.zone}, "281 tegn"),
        ({"text": "Borger 010190-1234 ringede", "zone": me.zone}, "CPR-nummer"),
        ({"text": "Forkert zone", "zone": other_zone}, "egen zone"),
        ({"text": "Ugyldig zone", "zone": "neutral"}, "positiv eller negativ"),
    ]
    for data, message in bad:
        response = phone.post(card_url(course), {**data, "client_key": str(uuid.uuid4())}, HTTP_HX_REQUEST="true")
        assert response.status_code == 400 and message in response.content.decode(), data
    assert Card.objects.filter(course=course).count() == 1
    # Without the cookie: no card.
    assert Client().post(card_url(course), {"text": "x", "zone": me.zone, "client_key": key}).status_code == 403


def test_a_phone_post_is_answered_around_the_field_never_with_it(course, facilitator, add_participants):
    """The answer to a card holds its outcome for the button, a fresh key and the phone's own cards, but no
    field: what the participant typed meanwhile stays on the phone (issue 11)."""
    add_participants(2)
    svc.zones_assign(course=course, by=facilitator)
    go_to(course, facilitator, "card_round")
    me = course.participants.order_by("pk").first()
    phone = as_phone(Client(), me)
    key = str(uuid.uuid4())
    data = {"text": "Svært at finde", "zone": me.zone, "client_key": key}
    body = phone.post(card_url(course), data, HTTP_HX_REQUEST="true").content.decode()
    assert "<textarea" not in body and 'id="card-outcome" class="phone-outcome" hx-swap-oob="true"' in body
    assert "Kortet er sendt." in body and 'id="card-key"' in body and key not in body
    assert 'id="phone-my-cards" hx-swap-oob="true"' in body and "Svært at finde" in body
    refused = phone.post(card_url(course), {**data, "text": "010190-1234"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and "<textarea" not in refused.content.decode()
    assert "CPR-nummer" in refused.content.decode() and key in refused.content.decode()  # a retry keeps its key


def test_merge_hide_star_and_read_aloud_order(course, facilitator, add_participants):
    add_participants(2)
    positive = [
        svc.card_post(course=course, by=facilitator, text=f"God {i}", zone="positive", client_key=uuid.uuid4())[0]
        for i in range(2)
    ]
    negative = [
        svc.card_post(course=course, by=facilitator, text=f"Dårlig {i}", zone="negative", client_key=uuid.uuid4())[0]
        for i in range(3)
    ]
    with pytest.raises(ValidationError):
        svc.cards_merge(course=course, by=facilitator, card_ids=[positive[0].pk, negative[0].pk])
    keep = svc.cards_merge(course=course, by=facilitator, card_ids=[negative[1].pk, negative[2].pk])
    assert keep.pk == negative[1].pk
    svc.card_moderate(course=course, by=facilitator, card_id=positive[1].pk, action="hide")
    svc.card_moderate(course=course, by=facilitator, card_id=positive[0].pk, action="star")
    sequence = svc.read_sequence(course)
    assert [c.text for c in sequence] == ["Dårlig 0", "Dårlig 1", "God 0"]
    assert sequence[1].merged_count == 1
    meeting = go_to(course, facilitator, "read_negative")
    assert meeting.read_position == 0 and meeting.revealed
    for _ in range(5):
        meeting = svc.read_move(course=course, by=facilitator, delta=1)
    assert meeting.read_position == 2  # the first positive card: reading on past the negatives …
    assert meeting.activity.key == "read_positive"  # … moved the step, and its heading, to the positives
    meeting = go_to(course, facilitator, "read_positive")
    assert meeting.read_position == 2  # the first positive card


def test_the_read_aloud_step_follows_the_card(course, facilitator, facilitator_client, leader_client):
    """A positive card is never read under the negatives' heading, nor a negative one under the positives'
    (issue 11): the step moves with the card, back as well as on."""
    for text, zone in (("Kø", "negative"), ("Login", "negative"), ("Hurtigt", "positive")):
        svc.card_post(course=course, by=facilitator, text=text, zone=zone, client_key=uuid.uuid4())
    go_to(course, facilitator, "read_negative")
    presenter = reverse("dialogue:meeting_presenter", args=[course.pk])
    meeting = svc.read_move(course=course, by=facilitator, delta=1)
    assert (meeting.activity.key, meeting.read_position) == ("read_negative", 1)
    meeting = svc.read_move(course=course, by=facilitator, delta=1)
    assert (meeting.activity.key, meeting.read_position) == ("read_positive", 2)
    page = leader_client.get(presenter).content.decode()
    assert "Gennemgå de positive virkninger" in page and "Hurtigt" in page
    assert svc.read_move(course=course, by=facilitator, delta=1).read_position == 2  # the last card stays
    meeting = svc.read_move(course=course, by=facilitator, delta=-1)
    assert (meeting.activity.key, meeting.read_position) == ("read_negative", 1)
    assert svc.read_move(course=course, by=facilitator, delta=-5).read_position == 0
    # A card hidden meanwhile shifts the sequence: the negatives' step still shows a negative card.
    svc.read_move(course=course, by=facilitator, delta=1)
    first = Card.objects.get(text="Kø")
    svc.card_moderate(course=course, by=facilitator, card_id=first.pk, action="hide")
    page = leader_client.get(presenter).content.decode()
    assert "Gennemgå de negative virkninger" in page and "Negativ virkning" in page and "Positiv virkning" not in page
    # No positive cards at all: the positives' step shows no negative card as if it were one.
    svc.card_moderate(course=course, by=facilitator, card_id=Card.objects.get(text="Hurtigt").pk, action="hide")
    svc.meeting_go(course=course, by=facilitator, step="next")
    page = leader_client.get(presenter).content.decode()
    assert "Gennemgå de positive virkninger" in page and "Negativ virkning" not in page
    assert svc.read_move(course=course, by=facilitator, delta=1).activity.key == "read_positive"


def test_presenter_counts_until_revealed_then_cards(course, facilitator, facilitator_client, leader_client):
    svc.card_post(
        course=course, by=facilitator, text="Kan ikke finde knappen", zone="negative", client_key=uuid.uuid4()
    )
    go_to(course, facilitator, "card_round")
    url = reverse("dialogue:meeting_presenter_live", args=[course.pk])
    html = leader_client.get(url).content.decode()
    assert "(1 ·" in html and "Kan ikke finde knappen" not in html
    control(facilitator_client, course, "reveal")
    assert "Kan ikke finde knappen" in leader_client.get(url).content.decode()


# --- groups, pairs, proposals, dots -----------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (4, [4]),
        (6, [3, 3]),
        (7, [4, 3]),
        (8, [4, 4]),
        (9, [5, 4]),
        (10, [5, 5]),
        (11, [4, 4, 3]),
        (14, [4, 4, 3, 3]),
        (60, [4] * 15),
    ],
)
def test_group_sizes_of_four(count, sizes):
    result = svc.group_sizes(count, 4)
    assert sum(result) == count and sorted(result, reverse=True) == sizes
    assert all(3 <= s <= 5 for s in result)


def test_pairs_with_one_trio(course, facilitator, add_participants):
    add_participants(7)
    groups = svc.groups_form(course=course, by=facilitator, kind=GroupKind.PAIR)
    sizes = sorted(g.members.count() for g in groups)
    assert sizes == [2, 2, 3]
    late = add_participants(1)[0]
    assert svc.groups_fill(course=course, by=facilitator, kind=GroupKind.PAIR) == 1
    assert Group.objects.filter(kind=GroupKind.PAIR, members=late).count() == 1


def test_surprises_from_any_member(course, facilitator, add_participants):
    people = add_participants(8)
    go_to(course, facilitator, "surprise_groups")
    control_groups = svc.groups_form(course=course, by=facilitator, kind=GroupKind.SURPRISES)
    assert len(control_groups) == 2
    group = control_groups[0]
    members = list(group.members.all())
    for member in members[:2]:
        svc.surprise_post(participant=member, text=f"Overraskelse fra {member.pk}", client_key=uuid.uuid4())
    assert Surprise.objects.filter(group=group).count() == 2
    page = as_phone(Client(), members[3]).get(reverse("dialogue:meeting_phone", args=[course.pk])).content.decode()
    assert f"Overraskelse fra {members[0].pk}" in page
    assert people


def test_proposals_and_three_dots(course, facilitator, add_participants):
    a, b = add_participants(2)
    go_to(course, facilitator, "methods")
    phone = as_phone(Client(), a)
    url = reverse("dialogue:meeting_proposal", args=[course.pk])
    assert phone.post(url, {"text": "Et borgerpanel", "client_key": str(uuid.uuid4())}).status_code == 302
    svc.proposal_post(course=course, by=facilitator, text="Smiley-standere", client_key=uuid.uuid4())
    panel, smiley = MethodProposal.objects.order_by("pk")
    dot_url = reverse("dialogue:meeting_dot", args=[course.pk])
    for proposal in (panel, panel, smiley):
        assert phone.post(dot_url, {"proposal": proposal.pk, "client_key": str(uuid.uuid4())}).status_code == 302
    response = phone.post(dot_url, {"proposal": smiley.pk, "client_key": str(uuid.uuid4())}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "tre prikker" in response.content.decode()
    assert Dot.objects.filter(participant=a).count() == 3
    phone.post(dot_url, {"proposal": panel.pk, "remove": "1"})
    svc.dot_place(participant=b, proposal_id=smiley.pk, client_key=uuid.uuid4())
    ranked = list(svc.ranked_proposals(course))
    assert [(p.text, p.dot_count) for p in ranked] == [("Smiley-standere", 2), ("Et borgerpanel", 1)]
    assert "Fokusgrupper" in phone.get(reverse("dialogue:meeting_phone", args=[course.pk])).content.decode()


@pytest.mark.parametrize("step", ["card_round", "surprise_groups", "methods"])
def test_the_dot_list_answers_at_every_step(course, facilitator, add_participants, step):
    """A poll of the dot list that arrives at another step (a late poll, a stale tab) is no 500."""
    (a,) = add_participants(1)
    go_to(course, facilitator, step)
    response = as_phone(Client(), a).get(reverse("dialogue:meeting_phone_dots", args=[course.pk]))
    assert response.status_code == (200 if step == "methods" else 204)


def test_a_dot_tapped_twice_is_one_dot(course, facilitator, facilitator_client, add_participants):
    """The same POST twice (a double tap, or a retry after a lost answer) places one dot; a new tap another."""
    (a,) = add_participants(1)
    go_to(course, facilitator, "methods")
    panel = svc.proposal_post(course=course, by=facilitator, text="Et borgerpanel", client_key=uuid.uuid4())
    phone = as_phone(Client(), a)
    dot_url = reverse("dialogue:meeting_dot", args=[course.pk])
    tap = {"proposal": panel.pk, "client_key": str(uuid.uuid4())}
    assert phone.post(dot_url, tap).status_code == 302
    assert phone.post(dot_url, tap).status_code == 302
    assert Dot.objects.filter(participant=a).count() == 1
    assert phone.post(dot_url, {**tap, "client_key": str(uuid.uuid4())}).status_code == 302
    assert Dot.objects.filter(participant=a).count() == 2
    # The phone's dot form carries a key of its own.
    page = phone.get(reverse("dialogue:meeting_phone", args=[course.pk])).content.decode()
    assert 'name="client_key"' in page.split('name="proposal"', 1)[1].split("</form>", 1)[0]
    # The same for a dot placed on someone's behalf.
    key = str(uuid.uuid4())
    control(facilitator_client, course, f"dot_add:{panel.pk}", client_key=key)
    control(facilitator_client, course, f"dot_add:{panel.pk}", client_key=key)
    assert Dot.objects.filter(participant__isnull=True).count() == 1
    # Without a key (a form from before keys, or tampered with), nothing is stored and the phone is told.
    response = phone.post(dot_url, {"proposal": panel.pk, "client_key": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "Genindlæs siden" in response.content.decode()
    assert Dot.objects.count() == 3


def test_the_facilitator_writes_down_a_groups_surprise(
    course, facilitator, facilitator_client, leader_client, add_participants
):
    add_participants(8)
    go_to(course, facilitator, "surprise_groups")
    first, second = svc.groups_form(course=course, by=facilitator, kind=GroupKind.SURPRISES)
    key = str(uuid.uuid4())
    data = {"group": second.pk, "text": "Ingen læser bekræftelsen", "client_key": key}
    assert control(facilitator_client, course, "surprise_add", **data).status_code == 302
    assert control(facilitator_client, course, "surprise_add", **data).status_code == 302  # a double click
    surprise = Surprise.objects.get()
    assert (surprise.group, surprise.author, surprise.text) == (second, None, "Ingen læser bekræftelsen")
    # A CPR number is refused with the text and the group kept; a group of another kind or course is refused.
    response = control(
        facilitator_client,
        course,
        "surprise_add",
        group=second.pk,
        text="Borger 010190-1234",
        client_key=str(uuid.uuid4()),
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Borger 010190-1234" in page
    assert f'<option value="{second.pk}" selected>' in page
    pair = Group.objects.create(course=course, kind=GroupKind.PAIR, number=9)
    response = control(
        facilitator_client, course, "surprise_add", group=pair.pk, text="Noget", client_key=str(uuid.uuid4())
    )
    assert response.status_code == 400 and "Vælg en af grupperne." in response.content.decode()
    data["client_key"] = str(uuid.uuid4())
    assert control(leader_client, course, "surprise_add", **data).status_code == 403
    assert Surprise.objects.count() == 1


def test_the_facilitator_places_dots_for_people_without_a_phone(
    course, facilitator, facilitator_client, leader_client, add_participants
):
    (a,) = add_participants(1)
    go_to(course, facilitator, "methods")
    smiley = svc.proposal_post(course=course, by=facilitator, text="Smiley-standere", client_key=uuid.uuid4())
    panel = svc.proposal_post(course=course, by=facilitator, text="Et borgerpanel", client_key=uuid.uuid4())
    signature = svc.meeting_signature(course.pk)
    for _ in range(4):  # no limit of three: the dots of several people without a phone
        response = control(facilitator_client, course, f"dot_add:{panel.pk}", client_key=str(uuid.uuid4()))
        assert response.status_code == 302
    assert svc.meeting_signature(course.pk) != signature  # the screens pick it up
    svc.dot_place(participant=a, proposal_id=smiley.pk, client_key=uuid.uuid4())
    control(facilitator_client, course, f"dot_take:{panel.pk}")
    ranked = list(svc.ranked_proposals(course))
    assert [(p.text, p.dot_count, p.on_behalf) for p in ranked] == [("Et borgerpanel", 3, 3), ("Smiley-standere", 1, 0)]
    page = facilitator_client.get(reverse("dialogue:meeting", args=[course.pk])).content.decode()
    assert "heraf 3 for deltagere uden telefon" in page and "Fjern en prik for en uden telefon" in page
    # Only the phone's own dot was its own: the participant still has two left.
    assert Dot.objects.filter(participant=a).count() == 1
    # Nothing to take back on the smiley proposal; a proposal of another course; a leader.
    response = control(facilitator_client, course, f"dot_take:{smiley.pk}")
    assert response.status_code == 400 and "ingen prik sat for en uden telefon" in response.content.decode()
    assert control(facilitator_client, course, "dot_add:999999", client_key=str(uuid.uuid4())).status_code == 400
    assert control(leader_client, course, f"dot_add:{panel.pk}", client_key=str(uuid.uuid4())).status_code == 403
    assert Dot.objects.filter(participant__isnull=True).count() == 3
    # After the end the ranking stays as the meeting left it.
    svc.meeting_end(course=course, by=facilitator)
    assert control(facilitator_client, course, f"dot_add:{panel.pk}", client_key=str(uuid.uuid4())).status_code == 400
    assert "+1 prik" not in facilitator_client.get(reverse("dialogue:meeting", args=[course.pk])).content.decode()
    assert Dot.objects.filter(participant__isnull=True).count() == 3


def test_the_round_up_walks_through_the_groups_one_at_a_time(
    course, facilitator, facilitator_client, leader_client, add_participants
):
    add_participants(8)
    go_to(course, facilitator, "surprise_groups")
    first, second = svc.groups_form(course=course, by=facilitator, kind=GroupKind.SURPRISES)
    svc.surprise_post(participant=second.members.first(), text="Bookingen var nemmere", client_key=uuid.uuid4())
    with pytest.raises(ValidationError):  # nothing is read aloud during the group work
        svc.read_move(course=course, by=facilitator, delta=1)
    meeting = go_to(course, facilitator, "surprise_roundup")
    assert meeting.read_position == 0
    url = reverse("dialogue:meeting_presenter", args=[course.pk])
    assert "Gruppe 1 af 2 fortæller" in leader_client.get(url).content.decode()
    for _ in range(3):  # stays on the last group
        svc.read_move(course=course, by=facilitator, delta=1)
    page = leader_client.get(url).content.decode()
    assert "Gruppe 2 af 2 fortæller" in page and "Bookingen var nemmere" in page
    dashboard = facilitator_client.get(reverse("dialogue:meeting", args=[course.pk])).content.decode()
    assert "Næste gruppe" in dashboard and 'aria-current="true"' in dashboard


def test_arrow_keys_on_the_projector_at_the_wrong_moment_leave_the_projector_as_it_is(
    course, facilitator, facilitator_client
):
    go_to(course, facilitator, "card_round")
    response = control(facilitator_client, course, "read_next", **{"return": "presenter"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dialogue:meeting_presenter", args=[course.pk])


def test_ending_the_meeting_thanks_the_phones_and_moves_the_course_on(
    course, facilitator, facilitator_client, leader_client, add_participants
):
    participant = add_participants(1)[0]
    svc.zones_assign(course=course, by=facilitator)
    participant.refresh_from_db()
    with pytest.raises(ValidationError):
        svc.meeting_end(course=course, by=facilitator)  # not started
    go_to(course, facilitator, "card_round")
    assert control(leader_client, course, "end").status_code == 403
    assert control(facilitator_client, course, "end").status_code == 302
    course.refresh_from_db()
    meeting = Meeting.objects.get(course=course)
    assert course.phase == "followup" and meeting.ended_at is not None
    assert svc.timer_state(meeting) == {"running": False, "started": False, "ended": True}
    for call in (
        lambda: svc.meeting_go(course=course, by=facilitator, step="next"),
        lambda: svc.timer_extend(course=course, by=facilitator, minutes=1),
        lambda: svc.meeting_end(course=course, by=facilitator),
    ):
        with pytest.raises(ValidationError):
            call()
    # Phones are thanked, and a late card is refused with a message, keeping its text: htmx leaves the
    # field as it is on the phone and answers at its button; without JavaScript the page shows the text.
    phone = as_phone(Client(), participant)
    assert "Tak for i dag" in phone.get(reverse("dialogue:meeting_phone", args=[course.pk])).content.decode()
    late = {"text": "Sent kort", "zone": participant.zone, "client_key": str(uuid.uuid4())}
    response = phone.post(reverse("dialogue:meeting_card", args=[course.pk]), late, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "Mødet er slut" in response.content.decode()
    assert 'id="card-outcome"' in response.content.decode() and "<textarea" not in response.content.decode()
    response = phone.post(reverse("dialogue:meeting_card", args=[course.pk]), late)
    assert response.status_code == 400 and "Mødet er slut" in response.content.decode()
    assert "Sent kort" in response.content.decode() and not Card.objects.exists()
    dashboard = facilitator_client.get(reverse("dialogue:meeting", args=[course.pk])).content.decode()
    assert reverse("dialogue:printable", args=[course.pk, "opsamling"]) in dashboard
    assert (
        "Tak for i dag" in leader_client.get(reverse("dialogue:meeting_presenter", args=[course.pk])).content.decode()
    )
    course_page = leader_client.get(reverse("dialogue:course", args=[course.pk])).content.decode()
    # Opened in the browser, not downloaded: a long render shows a page that waits for the PDF first.
    assert reverse("dialogue:printable", args=[course.pk, "opsamling"]) + '">Hent opsamlingen' in course_page
    # Reopening picks up where the meeting ended.
    ended = svc.timer_state(meeting)
    assert control(facilitator_client, course, "reopen").status_code == 302
    course.refresh_from_db()
    meeting.refresh_from_db()
    assert course.phase == "meeting" and meeting.ended_at is None and meeting.activity.key == "card_round"
    assert svc.timer_state(meeting)["remaining"] > 9 * 60 and ended


def test_the_phones_list_of_proposals_follows_colleagues(course, facilitator, add_participants):
    a, b = add_participants(2)
    go_to(course, facilitator, "methods")
    phone = as_phone(Client(), b)
    url = reverse("dialogue:meeting_phone_dots", args=[course.pk])
    first = phone.get(url)
    assert first.status_code == 200 and "Ingen forslag endnu" in first.content.decode()
    assert phone.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    svc.proposal_post(course=course, participant=a, text="Korte exit-interview", client_key=uuid.uuid4())
    again = phone.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and "Korte exit-interview" in again.content.decode()
    stranger = Client().get(url)  # a phone that has not joined is sent to the join page, shown nothing
    assert stranger.status_code == 302 and "Korte" not in stranger.content.decode()


# --- polling and query counts -----------------------------------------------------------------


def test_polls_answer_304_until_something_changes(course, facilitator, facilitator_client, add_participants):
    participant = add_participants(1)[0]
    svc.meeting_start(course=course, by=facilitator)
    phone = as_phone(Client(), participant)
    for client, name in (
        (phone, "dialogue:meeting_phone_status"),
        (facilitator_client, "dialogue:meeting_presenter_live"),
        (facilitator_client, "dialogue:meeting_live"),
    ):
        url = reverse(name, args=[course.pk])
        first = client.get(url)
        assert first.status_code == 200
        etag = first["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
        svc.timer_pause(course=course, by=facilitator)
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
        svc.timer_resume(course=course, by=facilitator)


def test_a_phone_that_switches_language_gets_the_status_again(course, facilitator, add_participants, settings):
    phone = as_phone(Client(), add_participants(1)[0])
    svc.meeting_start(course=course, by=facilitator)
    url = reverse("dialogue:meeting_phone_status", args=[course.pk])
    danish = phone.get(url)
    assert phone.get(url, HTTP_IF_NONE_MATCH=danish["ETag"]).status_code == 304
    phone.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = phone.get(url, HTTP_IF_NONE_MATCH=danish["ETag"])
    assert english.status_code == 200 and "What we’re doing now" in english.content.decode()


def test_what_phones_write_reaches_the_screens_without_writing_the_shared_meeting_row(
    course, facilitator, facilitator_client, add_participants
):
    a, b = add_participants(2)
    svc.zones_assign(course=course, by=facilitator, reshuffle=True)
    a.refresh_from_db()
    b.refresh_from_db()
    go_to(course, facilitator, "card_round")
    version = svc.cards_reveal(course=course, by=facilitator, revealed=True).version
    presenter = reverse("dialogue:meeting_presenter_live", args=[course.pk])
    status = reverse("dialogue:meeting_phone_status", args=[course.pk])
    screen_tag = facilitator_client.get(presenter)["ETag"]
    phone_b = as_phone(Client(), b)
    phone_tag = phone_b.get(status)["ETag"]

    svc.card_post(course=course, participant=a, text="Nemt at finde", zone=a.zone, client_key=uuid.uuid4())
    answer = facilitator_client.get(presenter, HTTP_IF_NONE_MATCH=screen_tag)
    assert answer.status_code == 200 and "Nemt at finde" in answer.content.decode()
    # Another phone's card changes nothing on b's phone, so b keeps getting 304.
    assert phone_b.get(status, HTTP_IF_NONE_MATCH=phone_tag).status_code == 304
    assert Meeting.objects.get(course=course).version == version
    # A dot placed changes the signature, and so does taking it away (back to the state before).
    version = go_to(course, facilitator, "methods").version
    proposal = svc.proposal_post(course=course, participant=a, text="Et borgerpanel", client_key=uuid.uuid4())
    before = svc.meeting_signature(course.pk)
    svc.dot_place(participant=b, proposal_id=proposal.pk, client_key=uuid.uuid4())
    placed = svc.meeting_signature(course.pk)
    svc.dot_remove(participant=b, proposal_id=proposal.pk)
    assert before != placed != svc.meeting_signature(course.pk) == before
    svc.dot_place(participant=b, proposal_id=proposal.pk, client_key=uuid.uuid4())
    svc.dot_place(participant=b, proposal_id=proposal.pk, client_key=uuid.uuid4())
    two = svc.meeting_signature(course.pk)
    svc.dot_remove(participant=b, proposal_id=proposal.pk)
    svc.dot_place(participant=a, proposal_id=proposal.pk, client_key=uuid.uuid4())  # one moved between two polls
    assert svc.meeting_signature(course.pk) != two
    assert Meeting.objects.get(course=course).version == version


def test_the_signature_names_the_models_tables():
    from django.apps import apps

    for model in svc.SIGNATURE_TABLES:
        assert apps.get_model("dialogue", model)._meta.db_table == f"dialogue_{model}"


def fill_meeting(course, facilitator, add_participants, count):
    people = add_participants(count)
    for p in people:
        ReflectionSheet.objects.create(
            participant=p, status="submitted", answers={"positives": ["a", "b"], "negatives": ["c"]}
        )
    svc.zones_assign(course=course, by=facilitator, reshuffle=True)
    for i, p in enumerate(course.participants.all()):
        svc.card_post(
            course=course, participant=None, by=facilitator, text=f"Kort {i}", zone=p.zone, client_key=uuid.uuid4()
        )
    svc.groups_form(course=course, by=facilitator, kind=GroupKind.SURPRISES)
    svc.groups_form(course=course, by=facilitator, kind=GroupKind.PAIR)
    return course.participants.first()


@pytest.mark.parametrize("count", [3, 60])
@pytest.mark.parametrize("key", ["card_round", "read_negative", "surprise_groups", "pairs", "methods"])
def test_queries_flat(
    course, facilitator, facilitator_client, add_participants, django_assert_max_num_queries, count, key
):
    someone = fill_meeting(course, facilitator, add_participants, count)
    svc.meeting_start(course=course, by=facilitator)
    go_to(course, facilitator, "card_round")
    svc.card_post(
        course=course,
        participant=course.participants.get(pk=someone.pk),
        text="Mit kort",
        zone=course.participants.get(pk=someone.pk).zone,
        client_key=uuid.uuid4(),
    )
    go_to(course, facilitator, key)
    phone = as_phone(Client(), someone)
    with django_assert_max_num_queries(30):
        assert facilitator_client.get(reverse("dialogue:meeting", args=[course.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert facilitator_client.get(reverse("dialogue:meeting_presenter", args=[course.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert phone.get(reverse("dialogue:meeting_phone", args=[course.pk])).status_code == 200
    status = phone.get(reverse("dialogue:meeting_phone_status", args=[course.pk]))
    with django_assert_max_num_queries(2):
        assert (
            phone.get(
                reverse("dialogue:meeting_phone_status", args=[course.pk]), HTTP_IF_NONE_MATCH=status["ETag"]
            ).status_code
            == 304
        )


def test_the_course_page_leads_to_the_meeting_screens(course, facilitator_client, leader_client):
    dashboard = reverse("dialogue:meeting", args=[course.pk])
    presenter = reverse("dialogue:meeting_presenter", args=[course.pk])
    page = facilitator_client.get(reverse("dialogue:course", args=[course.pk])).content.decode()
    assert dashboard in page and presenter in page
    page = leader_client.get(reverse("dialogue:course", args=[course.pk])).content.decode()
    assert dashboard not in page and presenter in page
