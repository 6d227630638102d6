"""Phase 5, the follow-up: keep · develop · stop, prøvehandlinger, the thank-you e-mail, and the summary."""

import io
import re
import uuid

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from sessions import followup as svc
from sessions.models import (
    Card,
    CoursePhase,
    Decision,
    DecisionKind,
    Dot,
    Group,
    GroupKind,
    Mailing,
    MethodProposal,
    Participant,
    Surprise,
    TrialAction,
    Zone,
)

pytestmark = pytest.mark.django_db

CPR = "Borgeren 010190-1234 ringede"


def url(course, name="followup", *args):
    return reverse(f"dialogue:{name}", args=[course.pk, *args])


@pytest.fixture
def ended(course, touchpoints, add_participants):
    """A course after its meeting: cards (one merged, one hidden, one starred), a surprise, proposals with dots."""
    course.chosen_touchpoint = touchpoints[0]
    course.phase = CoursePhase.FOLLOWUP
    course.save()
    people = add_participants(3)
    first = Card.objects.create(course=course, zone=Zone.POSITIVE, text="Kan bestille døgnet rundt")
    Card.objects.create(course=course, zone=Zone.POSITIVE, text="Kan booke om natten", merged_into=first)
    Card.objects.create(course=course, zone=Zone.NEGATIVE, text="Svære fagord", starred=True)
    Card.objects.create(course=course, zone=Zone.NEGATIVE, text="Lille skrift")
    Card.objects.create(course=course, zone=Zone.NEGATIVE, text="Et skjult kort", hidden=True)
    group = Group.objects.create(course=course, kind=GroupKind.SURPRISES, number=1)
    group.members.set(people[:2])
    Surprise.objects.create(group=group, author=people[0], text="Mange får hjælp af pårørende")
    smiley = MethodProposal.objects.create(course=course, text="Smiley-standere")
    MethodProposal.objects.create(course=course, text="Et borgerpanel")
    Dot.objects.bulk_create(Dot(proposal=smiley, participant=p) for p in people)
    return course


def card(course, text):
    return Card.objects.get(course=course, text=text)


# --- services -----------------------------------------------------------------------------------


def test_insights_follow_the_summary_order_with_merged_counts_and_without_hidden_cards(ended):
    found = svc.insights(ended, {})
    assert [i.text for i in found["negatives"]] == ["Svære fagord", "Lille skrift"]
    assert found["negatives"][0].starred
    assert [(i.text, i.count) for i in found["positives"]] == [("Kan bestille døgnet rundt", 2)]
    assert [i.label for i in found["surprises"]] == ["Gruppe 1"]
    assert [(i.text, i.label) for i in found["methods"]] == [
        ("Smiley-standere", "Forslag med 3 prikker"),
        ("Et borgerpanel", "Forslag med 0 prikker"),
    ]


def test_sorting_an_insight_twice_moves_it_and_stores_one_decision(ended, leader):
    source = f"card:{card(ended, 'Svære fagord').pk}"
    svc.decision_sort(course=ended, source=source, kind=DecisionKind.STOP, user=leader)
    decision = svc.decision_sort(course=ended, source=source, kind=DecisionKind.DEVELOP, user=leader)
    assert Decision.objects.get() == decision
    assert (decision.kind, decision.text, decision.created_by) == ("develop", "Svære fagord", leader)


@pytest.mark.parametrize("source", ["card:999999", "card:abc", "vote:1", "", "card"])
def test_an_unknown_source_is_refused(ended, source):
    with pytest.raises(ValidationError):
        svc.decision_sort(course=ended, source=source, kind=DecisionKind.KEEP)
    assert not Decision.objects.exists()


def test_a_hidden_or_merged_card_cannot_be_sorted(ended):
    for text in ("Et skjult kort", "Kan booke om natten"):
        with pytest.raises(ValidationError):
            svc.decision_sort(course=ended, source=f"card:{card(ended, text).pk}", kind=DecisionKind.KEEP)


def test_an_insight_of_another_course_is_refused(ended, workplace, tool):
    from sessions.services import course_create

    other = course_create(workplace=workplace, tool=tool, title="Andet forløb")
    theirs = Card.objects.create(course=other, zone=Zone.NEGATIVE, text="Deres kort")
    with pytest.raises(ValidationError):
        svc.decision_sort(course=ended, source=f"card:{theirs.pk}", kind=DecisionKind.KEEP)


def test_a_wrong_kind_is_refused(ended):
    with pytest.raises(ValidationError, match="Fastholde, Udvikle eller Stoppe"):
        svc.decision_sort(course=ended, source=f"card:{card(ended, 'Lille skrift').pk}", kind="maybe")


def test_an_own_decision_is_stored_once_for_a_double_tap(ended):
    key = str(uuid.uuid4())
    first = svc.decision_write(course=ended, kind=DecisionKind.KEEP, text=" Sms-påmindelsen ", client_key=key)
    second = svc.decision_write(course=ended, kind=DecisionKind.KEEP, text="Sms-påmindelsen", client_key=key)
    assert first == second and first.text == "Sms-påmindelsen"
    assert Decision.objects.count() == 1
    # The same key with other words (a form brought back with the browser's Back button) is a new point.
    third = svc.decision_write(course=ended, kind=DecisionKind.STOP, text="Papirblanketten", client_key=key)
    assert third != first and Decision.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Skriv, hvad I vil"),
        ("   ", "Skriv, hvad I vil"),
        ("x" * 301, "højst have 300 tegn (den har 301)"),
        (CPR, "CPR"),
    ],
)
def test_an_own_decision_with_bad_text_is_refused(ended, text, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        svc.decision_write(course=ended, kind=DecisionKind.KEEP, text=text, client_key=str(uuid.uuid4()))
    assert not Decision.objects.exists()


# --- permissions ----------------------------------------------------------------------------------


def test_the_leader_and_the_facilitator_may_use_the_follow_up(ended, leader_client, facilitator_client):
    for client in (leader_client, facilitator_client):
        assert client.get(url(ended)).status_code == 200
    source = f"card:{card(ended, 'Lille skrift').pk}"
    response = leader_client.post(url(ended, "decision_sort"), {"source": source, "kind": "develop"})
    assert response.status_code == 302 and response["Location"].endswith(f"#i-card-{source[5:]}")
    assert Decision.objects.get().kind == "develop"


def test_strangers_get_404_and_anonymous_users_the_login_page(ended, stranger_client, client):
    decision = Decision.objects.create(course=ended, kind="keep", text="Noget", source="own:x")
    action = TrialAction.objects.create(course=ended, title="Prøve")
    posts = [
        (url(ended, "decision_sort"), {"source": f"card:{card(ended, 'Lille skrift').pk}", "kind": "keep"}),
        (url(ended, "decision_write"), {"text": "Nyt", "kind": "keep"}),
        (url(ended, "decision_edit", decision.pk), {"remove": "1"}),
        (url(ended, "trial_action", action.pk), {"title": "Ændret"}),
        (url(ended, "trial_action_delete", action.pk), {}),
        (url(ended, "thanks_send"), {"client_key": str(uuid.uuid4())}),
    ]
    assert stranger_client.get(url(ended)).status_code == 404
    assert client.get(url(ended)).status_code == 302
    for target, data in posts:
        assert stranger_client.post(target, data).status_code == 404
        assert client.post(target, data).status_code == 302
    assert Decision.objects.get().text == "Noget"
    assert TrialAction.objects.get().title == "Prøve"
    assert not Mailing.objects.exists()


def test_get_never_writes(ended, facilitator_client):
    assert facilitator_client.get(url(ended, "decision_sort")).status_code == 405
    assert facilitator_client.get(url(ended, "thanks_send")).status_code == 405
    assert facilitator_client.get(url(ended, "decision_write")).status_code == 405


def test_a_decision_of_another_course_is_404(ended, facilitator_client, workplace, tool):
    from sessions.services import course_create

    other = course_create(workplace=workplace, tool=tool, title="Andet forløb")
    theirs = Decision.objects.create(course=other, kind="keep", text="Deres", source="own:y")
    response = facilitator_client.post(url(ended, "decision_edit", theirs.pk), {"remove": "1"})
    assert response.status_code == 404
    assert Decision.objects.filter(pk=theirs.pk).exists()


# --- the page ------------------------------------------------------------------------------------


def test_the_page_shows_the_columns_the_insights_and_what_is_sorted(ended, leader_client):
    svc.decision_sort(course=ended, source=f"card:{card(ended, 'Svære fagord').pk}", kind="develop")
    page = leader_client.get(url(ended)).content.decode()
    for text in ["Fastholde", "Udvikle", "Stoppe", "Svære fagord", "Mange får hjælp af pårørende", "Smiley-standere"]:
        assert text in page
    assert "Sorteret: Udvikle" in page
    assert "Et skjult kort" not in page
    assert 'data-current>Udvikle<span class="visually-hidden"> (valgt)</span>' in page


def test_a_tampered_source_says_so_and_stores_nothing(ended, facilitator_client):
    response = facilitator_client.post(url(ended, "decision_sort"), {"source": "card:0", "kind": "keep"}, follow=True)
    assert "findes ikke længere" in response.content.decode()
    assert not Decision.objects.exists()


def test_an_own_decision_with_a_cpr_number_is_refused_and_the_text_kept(ended, facilitator_client):
    response = facilitator_client.post(url(ended, "decision_write"), {"text": CPR, "kind": "stop"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "CPR-nummer" in page and CPR in page
    assert 'value="stop" checked' in page
    assert not Decision.objects.exists()


def test_a_decision_is_edited_moved_and_removed(ended, facilitator_client):
    decision = Decision.objects.create(course=ended, kind="keep", text="Gammel tekst", source="own:z")
    edit = url(ended, "decision_edit", decision.pk)
    assert facilitator_client.post(edit, {"text": "Ny tekst", "kind": "stop"}).status_code == 302
    decision.refresh_from_db()
    assert (decision.text, decision.kind) == ("Ny tekst", "stop")
    response = facilitator_client.post(edit, {"text": "x" * 301, "kind": "develop"})
    page = response.content.decode()
    assert response.status_code == 400 and "x" * 301 in page
    assert '<option value="develop" selected>' in page and '<option value="stop" selected>' not in page
    assert f'aria-describedby="d-{decision.pk}-error"' in page and f'id="d-{decision.pk}-error"' in page
    decision.refresh_from_db()
    assert decision.text == "Ny tekst"
    facilitator_client.post(edit, {"remove": "1"})
    assert not Decision.objects.exists()
    again = facilitator_client.post(edit, {"remove": "1"}, follow=True)  # a double tap
    assert again.status_code == 200 and "Punktet var allerede fjernet." in again.content.decode()


def test_user_text_is_escaped_on_the_page(ended, facilitator_client):
    Card.objects.create(course=ended, zone=Zone.NEGATIVE, text="<script>alert(1)</script>")
    page = facilitator_client.get(url(ended)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_queries_do_not_grow_with_cards_and_decisions(ended, facilitator_client):
    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert facilitator_client.get(url(ended)).status_code == 200
        return len(queries)

    few = count()
    people = Participant.objects.filter(course=ended)
    for i in range(40):
        c = Card.objects.create(course=ended, zone=Zone.NEGATIVE if i % 2 else Zone.POSITIVE, text=f"Kort {i}")
        if i % 3 == 0:
            svc.decision_sort(course=ended, source=f"card:{c.pk}", kind="develop")
    group = Group.objects.create(course=ended, kind=GroupKind.SURPRISES, number=2)
    Surprise.objects.bulk_create(Surprise(group=group, text=f"Overraskelse {i}") for i in range(10))
    for i in range(5):
        TrialAction.objects.create(course=ended, title=f"Prøve {i}", decision=Decision.objects.first())
    Dot.objects.bulk_create(Dot(proposal=MethodProposal.objects.last(), participant=p) for p in people)
    assert count() == few


# --- prøvehandlinger ------------------------------------------------------------------------------


def test_a_trial_action_is_planned_from_a_develop_decision_and_stored_once(ended, leader_client):
    decision = svc.decision_sort(course=ended, source=f"card:{card(ended, 'Svære fagord').pk}", kind="develop")
    form = leader_client.get(url(ended, "trial_action_new") + f"?beslutning={decision.pk}").content.decode()
    assert 'value="Svære fagord"' in form and f'<option value="{decision.pk}" selected>' in form
    data = {"client_key": str(uuid.uuid4()), "title": "Hverdagsord", "decision": decision.pk, "action": "Skriv om"}
    assert leader_client.post(url(ended, "trial_action_new"), data).status_code == 302
    assert leader_client.post(url(ended, "trial_action_new"), data).status_code == 302  # a double tap
    action = TrialAction.objects.get()
    assert (action.title, action.decision, action.action) == ("Hverdagsord", decision, "Skriv om")


def test_a_trial_action_form_with_errors_keeps_every_word(ended, facilitator_client):
    data = {"title": "", "experience": "Vi har set meget", "wonder": CPR, "observe": "o" * 2001}
    response = facilitator_client.post(url(ended, "trial_action_new"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Giv prøvehandlingen en kort titel." in page
    assert "»Undren – det vil vi opnå« ser ud til at indeholde et CPR-nummer" in page
    assert "højst have 2000 tegn (det har 2001)" in page
    assert "Vi har set meget" in page and "o" * 2001 in page
    assert 'aria-describedby="id_title_helptext id_title_error"' in page and 'id="id_title_error"' in page
    assert not TrialAction.objects.exists()


def test_a_trial_action_cannot_point_at_another_courses_decision(ended, facilitator_client, workplace, tool):
    from sessions.services import course_create

    other = course_create(workplace=workplace, tool=tool, title="Andet forløb")
    theirs = Decision.objects.create(course=other, kind="develop", text="Deres", source="own:q")
    response = facilitator_client.post(url(ended, "trial_action_new"), {"title": "Prøve", "decision": theirs.pk})
    assert response.status_code == 400 and "Vælg et punkt fra listen." in response.content.decode()


def test_a_trial_action_is_edited_with_the_reflection_and_deleted(ended, facilitator_client):
    action = TrialAction.objects.create(course=ended, title="Prøve", action="Gør det")
    edit = url(ended, "trial_action", action.pk)
    assert 'value="Prøve"' in facilitator_client.get(edit).content.decode()
    facilitator_client.post(edit, {"title": "Prøve", "action": "Gør det", "reflection": "Det virkede"})
    action.refresh_from_db()
    assert action.reflection == "Det virkede"
    assert "Afprøvet" in facilitator_client.get(url(ended)).content.decode()
    facilitator_client.post(url(ended, "trial_action_delete", action.pk))
    assert not TrialAction.objects.exists()
    assert facilitator_client.get(edit).status_code == 404
    again = facilitator_client.post(url(ended, "trial_action_delete", action.pk), follow=True)
    assert "Prøvehandlingen var allerede slettet." in again.content.decode()


def test_an_old_trial_action_form_with_new_words_is_stored_as_a_new_one(ended, facilitator_client):
    key = str(uuid.uuid4())
    facilitator_client.post(url(ended, "trial_action_new"), {"client_key": key, "title": "Første"})
    facilitator_client.post(url(ended, "trial_action_new"), {"client_key": key, "title": "Anden"})
    assert sorted(TrialAction.objects.values_list("title", flat=True)) == ["Anden", "Første"]


# --- the thank-you e-mail ---------------------------------------------------------------------------


def test_the_thanks_go_once_to_those_with_an_address_and_tell_what_was_decided(ended, leader_client):
    Participant.objects.filter(course=ended).exclude(display_name="Deltager 2").update(email="a@example.dk")
    svc.decision_sort(course=ended, source=f"card:{card(ended, 'Svære fagord').pk}", kind="develop")
    TrialAction.objects.create(course=ended, title="Hverdagsord på siden")
    key = str(uuid.uuid4())
    leader_client.post(url(ended, "thanks_send"), {"client_key": key})
    leader_client.post(url(ended, "thanks_send"), {"client_key": key})  # a double click
    assert len(mail.outbox) == 2
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Tak for jeres blik på Online tidsbestilling"
    assert (
        "Svære fagord" in body
        and "Hverdagsord på siden" in body
        and "På mødet skrev I 4 kort og fandt 1 overraskelse." in body
    )
    assert not mail.outbox[0].attachments
    assert Mailing.objects.get().kind == "thanks"
    page = leader_client.get(url(ended)).content.decode()
    assert "Send takken en gang til" in page and "Send takken til 2 deltagere" not in page


def test_sending_the_thanks_costs_the_same_queries_for_3_and_13_recipients(ended, facilitator_client, add_participants):
    def send():
        with CaptureQueriesContext(connection) as queries:
            facilitator_client.post(url(ended, "thanks_send"), {"client_key": str(uuid.uuid4())})
        return len(queries)

    Participant.objects.filter(course=ended).update(email="a@example.dk")
    few = send()
    add_participants(10)
    Participant.objects.filter(course=ended).update(email="a@example.dk")
    assert send() == few
    assert len(mail.outbox) == 3 + 13


def test_no_thanks_before_the_meeting_has_ended(course, facilitator_client, add_participants):
    Participant.objects.filter(pk=add_participants(1)[0].pk).update(email="a@example.dk")
    response = facilitator_client.post(url(course, "thanks_send"), {"client_key": str(uuid.uuid4())}, follow=True)
    assert "når opsamlingsmødet er afsluttet" in response.content.decode()
    assert not mail.outbox


# --- the summary PDF ------------------------------------------------------------------------------------


def test_the_summary_prints_the_sorted_insights_and_the_trial_actions(ended, leader_client):
    cache.clear()
    pdf = url(ended, "printable", "opsamling")
    before = leader_client.get(pdf)
    svc.decision_sort(course=ended, source=f"card:{card(ended, 'Svære fagord').pk}", kind="develop")
    svc.decision_write(course=ended, kind="stop", text="Papirblanketten <b>", client_key=str(uuid.uuid4()))
    TrialAction.objects.create(course=ended, title="Hverdagsord", observe="Antal opkald pr. uge")
    after = leader_client.get(pdf)
    assert before["ETag"] != after["ETag"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(after.content)).pages).replace("\n", " ")
    for expected in ["Fastholde", "Udvikle", "Stoppe", "Papirblanketten <b>", "Hverdagsord", "Antal opkald pr. uge"]:
        assert expected in text


# --- hidden means hidden everywhere ---------------------------------------------------------------------


def test_a_card_hidden_after_it_was_sorted_reaches_no_page_pdf_export_or_e_mail(ended, facilitator, leader_client):
    from sessions.meeting import card_moderate

    cache.clear()
    Participant.objects.filter(course=ended).update(email="a@example.dk")
    secret = card(ended, "Lille skrift")
    svc.decision_sort(course=ended, source=f"card:{secret.pk}", kind="stop")
    svc.decision_sort(course=ended, source=f"card:{card(ended, 'Svære fagord').pk}", kind="develop")
    assert "Lille skrift" in leader_client.get(url(ended)).content.decode()
    card_moderate(course=ended, by=facilitator, card_id=secret.pk, action="hide")

    page = leader_client.get(url(ended)).content.decode()
    export = leader_client.get(url(ended, "export", "opfoelgning")).content.decode("utf-8-sig")
    pdf = leader_client.get(url(ended, "printable", "opsamling"))
    summary = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    leader_client.post(url(ended, "thanks_send"), {"client_key": str(uuid.uuid4())})
    assert mail.outbox
    for where, text in [("page", page), ("csv", export), ("pdf", summary), ("mail", mail.outbox[0].body)]:
        assert "Lille skrift" not in text, where
        assert "Svære fagord" in text, where

    # Shown again, the point is back where the leader put it.
    card_moderate(course=ended, by=facilitator, card_id=secret.pk, action="hide")
    assert [d.text for d in ended.decisions.grouped()["stop"]] == ["Lille skrift"]
