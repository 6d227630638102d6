"""Spreadsheet export (CSV): what each file holds, who may get it, formula-proof cells, flat queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import ReflectionSheet, SheetStatus
from sessions.models import (
    Card,
    Decision,
    Dot,
    Group,
    GroupKind,
    MethodProposal,
    Participant,
    Surprise,
    TrialAction,
    Vote,
    Zone,
)

pytestmark = pytest.mark.django_db

NAMES = ["kort", "ark", "forslag", "stemmer", "opfoelgning"]


def url(course, name):
    return reverse("dialogue:export", args=[course.pk, name])


def rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def filled(course, touchpoints, add_participants):
    people = add_participants(3)
    first = Card.objects.create(course=course, author=people[0], zone=Zone.NEGATIVE, text="Svære fagord", starred=True)
    Card.objects.create(course=course, author=people[1], zone=Zone.NEGATIVE, text="Svære ord", merged_into=first)
    Card.objects.create(course=course, author=people[2], zone=Zone.POSITIVE, text='=HYPERLINK("http://x")')
    Card.objects.create(course=course, author=people[2], zone=Zone.POSITIVE, text=" \n=1+1")
    Card.objects.create(course=course, author=people[2], zone=Zone.POSITIVE, text="＝1+1")
    Card.objects.create(course=course, author=people[0], zone=Zone.NEGATIVE, text="Skjult indhold", hidden=True)
    Card.objects.create(course=course, zone=Zone.NEGATIVE, text="Skjult dublet", hidden=True, merged_into=first)
    ReflectionSheet.objects.create(
        participant=people[0],
        status=SheetStatus.SUBMITTED,
        experience=4,
        answers={"positives": ["Hurtigt", "Nemt"], "surprises": "Ingen ringede"},
    )
    ReflectionSheet.objects.create(participant=people[1], answers={"surprises": "En kladde, ikke afleveret"})
    smiley = MethodProposal.objects.create(course=course, text="Smiley-standere")
    Dot.objects.bulk_create(Dot(proposal=smiley, participant=p) for p in people)
    Vote.objects.create(course=course, participant=people[0], touchpoint=touchpoints[0])
    Vote.objects.create(course=course, participant=people[1], touchpoint=touchpoints[0])
    group = Group.objects.create(course=course, kind=GroupKind.SURPRISES, number=1)
    Surprise.objects.create(group=group, text="Mange får hjælp af pårørende")
    Decision.objects.create(course=course, kind="develop", text="Sproget på siden", source="own:a")
    Decision.objects.create(course=course, kind="keep", text="Sms-påmindelsen", source="own:b")
    TrialAction.objects.create(course=course, title="Hverdagsord")
    return course


def test_every_export_answers_a_member_as_an_excel_friendly_attachment(filled, leader_client):
    for name in NAMES:
        response = leader_client.get(url(filled, name))
        assert response.status_code == 200, name
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith(f'attachment; filename="tidsbestilling-{name}-')
        assert rows(response)[0], name


def test_strangers_get_404_anonymous_users_the_login_page_and_unknown_names_404(
    filled, stranger_client, client, facilitator_client
):
    for name in NAMES:
        assert stranger_client.get(url(filled, name)).status_code == 404
        assert client.get(url(filled, name)).status_code == 302
    assert facilitator_client.get(url(filled, "alt")).status_code == 404


def test_cards_with_counts_stars_and_formula_proof_text(filled, facilitator_client):
    table = rows(facilitator_client.get(url(filled, "kort")))
    header, body = table[0], table[1:]
    assert header[:3] == ["Nr.", "Zone", "Tekst"] and "Skrevet af" not in header  # anonymous by default
    by_text = {row[2]: row for row in body}
    assert by_text["Svære fagord"][3] == "3" and by_text["Svære fagord"][5] == "ja"
    assert by_text["Svære ord"][4] == str(Card.objects.get(text="Svære fagord").pk)
    assert '\'=HYPERLINK("http://x")' in by_text  # a formula typed on a phone stays text
    assert "' \n=1+1" in by_text and "'＝1+1" in by_text  # also after blanks, and in full width
    assert by_text["Skjult indhold"][6] == "ja"  # the facilitator sees moderated cards, marked


def test_leaders_get_no_hidden_cards(filled, leader_client):
    table = rows(leader_client.get(url(filled, "kort")))
    texts = {row[2]: row for row in table[1:]}
    assert "Svære fagord" in texts
    assert "Skjult indhold" not in texts and "Skjult dublet" not in texts
    assert texts["Svære fagord"][3] == "2"  # the hidden duplicate is not counted either


def test_names_only_when_the_course_is_not_anonymous(filled, facilitator_client):
    filled.anonymous = False
    filled.save()
    table = rows(facilitator_client.get(url(filled, "kort")))
    assert table[0][-1] == "Skrevet af" and "Deltager 0" in [row[-1] for row in table[1:]]


def test_sheets_export_submitted_sheets_only_with_every_field(filled, facilitator_client):
    table = rows(facilitator_client.get(url(filled, "ark")))
    text = "\n".join(";".join(row) for row in table)
    assert len(table) == 2
    assert "Hurtigt | Nemt" in text and "Ingen ringede" in text and "4 – God" in table[1]
    assert "En kladde" not in text


def test_proposals_votes_and_follow_up(filled, facilitator_client, touchpoints):
    Dot.objects.create(proposal=MethodProposal.objects.get(), participant=None)
    assert rows(facilitator_client.get(url(filled, "forslag")))[1][:3] == ["Smiley-standere", "4", "1"]
    votes = rows(facilitator_client.get(url(filled, "stemmer")))
    assert votes[1][:2] == [touchpoints[0].name, "2"]
    assert [touchpoints[1].name, "0", "nej"] in votes  # the whole list, also what nobody chose
    follow = rows(facilitator_client.get(url(filled, "opfoelgning")))
    assert follow[1:3] == [["Fastholde", "Sms-påmindelsen"], ["Udvikle", "Sproget på siden"]]
    assert ["Overraskelse, gruppe 1", "Mange får hjælp af pårørende"] in follow
    assert ["Prøvehandling", "Hverdagsord"] in follow


def test_queries_do_not_grow_with_cards_and_sheets(filled, facilitator_client):
    def count(name):
        with CaptureQueriesContext(connection) as queries:
            facilitator_client.get(url(filled, name))
        return len(queries)

    before = {name: count(name) for name in NAMES}
    people = Participant.objects.bulk_create(Participant(course=filled, display_name=f"Ny {i}") for i in range(30))
    Card.objects.bulk_create(Card(course=filled, author=p, zone=Zone.POSITIVE, text=f"Kort {p.pk}") for p in people)
    ReflectionSheet.objects.bulk_create(ReflectionSheet(participant=p, status=SheetStatus.SUBMITTED) for p in people)
    assert {name: count(name) for name in NAMES} == before
