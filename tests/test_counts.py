"""Who takes part and what counts as an interview: one answer on every page, PDF, export and e-mail.

The facilitator fills in an own example sheet (shown at the kick-off) and six phones hand in a sheet each:
six participants and six interviews everywhere. A vote for someone without a phone makes nobody a participant.
"""

import uuid
from datetime import time, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from interviews.models import ReflectionSheet, SheetStatus
from sessions import meeting as svc
from sessions import printables
from sessions.export import votes as votes_csv
from sessions.followup import thanks_context
from sessions.models import Course, Group, GroupKind, Participant, Vote

from .conftest import logged_in

PHONES = 6


def submitted_sheet(participant):
    return ReflectionSheet.objects.create(
        participant=participant,
        status=SheetStatus.SUBMITTED,
        submitted_at=timezone.now(),
        experience=4,
        answers={"context": "bookede en tid", "surprises": "Det var nemt", "positives": ["hurtigt"], "learnings": "x"},
    )


@pytest.fixture
def room(course, facilitator, facilitator_client, add_participants):
    """The course with the facilitator's submitted example and six phones that handed in a sheet each."""
    facilitator_client.post(reverse("interviews:example", args=[course.pk]))
    example = ReflectionSheet.objects.get(is_example=True)
    ReflectionSheet.objects.filter(pk=example.pk).update(
        status=SheetStatus.SUBMITTED, submitted_at=timezone.now(), answers={"surprises": "spam-mappen"}
    )
    phones = add_participants(PHONES)
    for participant in phones:
        submitted_sheet(participant)
    return phones


def page(client, name, course) -> str:
    response = client.get(reverse(name, args=[course.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- the facilitator's own example ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_facilitator_is_not_counted_on_the_course_page(room, course, facilitator_client):
    assert "<dt>Deltagere</dt><dd>6</dd>" in page(facilitator_client, "dialogue:course", course)


@pytest.mark.django_db
def test_the_facilitator_is_not_counted_at_the_kickoff(room, course, facilitator_client):
    assert "6 deltagere er med" in page(facilitator_client, "dialogue:kickoff", course)
    assert "6 deltagere er med" in page(facilitator_client, "dialogue:kickoff_presenter", course)


@pytest.mark.django_db
def test_the_overview_counts_interviews_and_shows_the_example_apart(room, course, facilitator_client):
    html = page(facilitator_client, "interviews:overview", course)
    assert "6 afleverede ark fra 6 af 6 deltagere." in html
    assert html.count('class="panel sheet-card"') == PHONES
    assert html.count("spam-mappen") == 1  # in the example's own section, not among the surprises
    assert html.index('id="example-heading"') < html.index("spam-mappen")


@pytest.mark.django_db
def test_the_dashboard_counts_six_present_and_six_sheets(room, course, facilitator, facilitator_client):
    svc.meeting_start(course=course, by=facilitator)
    html = page(facilitator_client, "dialogue:meeting", course)
    assert "6 deltagere til stede · 6 refleksionsark afleveret af 6 deltagere" in html


@pytest.mark.django_db
def test_the_facilitator_gets_no_zone(room, course, facilitator):
    svc.meeting_start(course=course, by=facilitator)
    svc.zones_assign(course=course, by=facilitator)
    assert not Participant.objects.get(user=facilitator).zone
    assert Participant.objects.exclude(zone="").count() == PHONES


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [GroupKind.SURPRISES, GroupKind.PAIR])
def test_the_facilitator_is_in_no_group_or_pair(room, course, facilitator, kind):
    svc.meeting_start(course=course, by=facilitator)
    svc.groups_form(course=course, by=facilitator, kind=kind)
    members = Participant.objects.filter(groups__course=course).distinct()
    assert members.count() == PHONES
    assert not members.filter(user=facilitator).exists()
    assert sum(group.members.count() for group in Group.objects.filter(kind=kind)) == PHONES


@pytest.mark.django_db
def test_a_late_facilitator_is_not_put_into_a_group(room, course, facilitator):
    Participant.objects.filter(user=facilitator).update(present=False)
    svc.meeting_start(course=course, by=facilitator)
    svc.groups_form(course=course, by=facilitator, kind=GroupKind.SURPRISES)
    Participant.objects.filter(user=facilitator).update(present=True)
    assert svc.groups_fill(course=course, by=facilitator, kind=GroupKind.SURPRISES) == 0


@pytest.mark.django_db
def test_the_summary_counts_six_participants_and_six_interviews(room, course):
    context = printables.summary_context(printables.course_for_print(course.pk))
    assert (context["participant_count"], context["interview_count"]) == (PHONES, PHONES)
    assert context["chart"]["total"] == PHONES
    assert len(context["learnings"]) == PHONES


@pytest.mark.django_db
def test_the_thank_you_counts_six_sheets(room, course):
    assert thanks_context(course)["sheet_count"] == PHONES


@pytest.mark.django_db
def test_the_interview_period_lists_the_six(room, course, facilitator_client):
    html = page(facilitator_client, "dialogue:interviews", course)
    assert "6 deltagere" in html and "6 har afleveret" in html


@pytest.mark.django_db
def test_the_sheets_export_has_six_rows(room, course, facilitator_client):
    response = facilitator_client.get(reverse("dialogue:export", args=[course.pk, "ark"]))
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 1 + PHONES


@pytest.mark.django_db
def test_the_facilitator_is_not_a_participant_but_the_example_is_found(room, course, facilitator):
    assert Participant.objects.filter(course=course).taking_part().count() == PHONES
    assert ReflectionSheet.objects.of_course(course).handed_in().count() == PHONES
    assert course.example_sheet().participant.user == facilitator


# --- votes for someone without a phone ------------------------------------------------------------


def vote_for(client, course, touchpoint, key=None):
    data = {"touchpoint": touchpoint.pk, "client_key": key or uuid.uuid4()}
    return client.post(reverse("dialogue:kickoff_vote_for", args=[course.pk]), data)


@pytest.mark.django_db
def test_a_vote_for_someone_without_a_phone_has_no_participant(course, touchpoints, facilitator_client):
    assert vote_for(facilitator_client, course, touchpoints[2]).status_code == 302
    vote = Vote.objects.get()
    assert (vote.participant, vote.touchpoint) == (None, touchpoints[2])
    assert not course.participants.exists()


@pytest.mark.django_db
def test_the_same_vote_form_sent_twice_counts_once(course, touchpoints, facilitator_client):
    key = uuid.uuid4()
    vote_for(facilitator_client, course, touchpoints[2], key)
    vote_for(facilitator_client, course, touchpoints[2], key)
    assert Vote.objects.count() == 1


@pytest.mark.django_db
def test_votes_without_a_phone_are_counted_on_screen_and_in_the_export(
    course, touchpoints, facilitator_client, add_participants
):
    Vote.objects.create(course=course, participant=add_participants(1)[0], touchpoint=touchpoints[2])
    vote_for(facilitator_client, course, touchpoints[2])
    vote_for(facilitator_client, course, touchpoints[2])
    html = page(facilitator_client, "dialogue:kickoff", course)
    assert "1 deltager er med · 3 stemmer" in html
    rows = votes_csv(course).decode("utf-8-sig").splitlines()
    assert f"{touchpoints[2].name};3;nej" in rows


@pytest.mark.django_db
def test_nobody_voted_for_gets_a_zone_or_a_group(
    course, touchpoints, facilitator, facilitator_client, add_participants
):
    add_participants(2)
    vote_for(facilitator_client, course, touchpoints[1])
    vote_for(facilitator_client, course, touchpoints[1])
    svc.meeting_start(course=course, by=facilitator)
    svc.zones_assign(course=course, by=facilitator)
    svc.groups_form(course=course, by=facilitator, kind=GroupKind.PAIR)
    assert course.participants.count() == 2
    assert sum(group.members.count() for group in Group.objects.filter(course=course)) == 2


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_nameless_voters_into_votes_without_participant(tool, workplace, touchpoints):
    """Before 0012 a vote for someone without a phone made a nameless participant in the same moment."""
    executor = MigrationExecutor(connection)
    executor.migrate([("dialogue", "0011_dot_client_key")])
    apps = executor.loader.project_state([("dialogue", "0011_dot_client_key")]).apps
    OldCourse = apps.get_model("dialogue", "Course")
    OldParticipant = apps.get_model("dialogue", "Participant")
    OldVote = apps.get_model("dialogue", "Vote")
    OldGroup = apps.get_model("dialogue", "Group")
    course = OldCourse.objects.create(workplace_id=workplace.pk, tool_id=tool.pk, title="Før", join_code="ABCDEF")
    on_behalf = OldParticipant.objects.create(course=course)
    OldVote.objects.create(course=course, participant=on_behalf, touchpoint_id=touchpoints[0].pk)
    phone = OldParticipant.objects.create(course=course)  # anonymous phone: joined, voted a minute later
    OldVote.objects.create(course=course, participant=phone, touchpoint_id=touchpoints[1].pk)
    OldParticipant.objects.filter(pk=phone.pk).update(joined_at=timezone.now() - timedelta(minutes=1))
    named = OldParticipant.objects.create(course=course, display_name="Ida")
    OldVote.objects.create(course=course, participant=named, touchpoint_id=touchpoints[1].pk)
    OldGroup.objects.create(course=course, kind="pair", number=1).members.add(on_behalf, phone)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert set(Participant.objects.filter(course_id=course.pk).values_list("pk", flat=True)) == {phone.pk, named.pk}
    assert Vote.objects.filter(course_id=course.pk).count() == 3
    assert Vote.objects.get(course_id=course.pk, touchpoint=touchpoints[0]).participant is None
    assert list(Group.objects.get(course_id=course.pk).members.values_list("pk", flat=True)) == [phone.pk]


# --- the kick-off's date, time and place ----------------------------------------------------------


def course_form_data(**extra):
    return {"title": "Tidsbestilling", "anonymous": "on", **extra}


@pytest.mark.django_db
def test_the_course_form_sets_the_kickoff(course, facilitator_client):
    url = reverse("dialogue:course_edit", args=[course.pk])
    data = course_form_data(kickoff_date="2030-03-04", kickoff_time="09:30", kickoff_place="Personalestuen")
    assert facilitator_client.post(url, data).status_code == 302
    course.refresh_from_db()
    assert timezone.localtime(course.kickoff_starts_at).date().isoformat() == "2030-03-04"
    assert timezone.localtime(course.kickoff_starts_at).time() == time(9, 30)
    assert course.kickoff_place == "Personalestuen"
    assert "Personalestuen" in page(facilitator_client, "dialogue:course", course)


@pytest.mark.django_db
def test_the_course_form_shows_the_kickoff_it_has(course, facilitator_client):
    Course.objects.filter(pk=course.pk).update(
        kickoff_starts_at=timezone.make_aware(timezone.datetime(2030, 3, 4, 9, 30)), kickoff_place="Kantinen"
    )
    html = page(facilitator_client, "dialogue:course_edit", course)
    assert 'value="2030-03-04"' in html and 'value="09:30"' in html and 'value="Kantinen"' in html


@pytest.mark.django_db
def test_a_kickoff_time_without_a_date_is_refused(course, facilitator_client):
    url = reverse("dialogue:course_edit", args=[course.pk])
    response = facilitator_client.post(url, course_form_data(kickoff_time="09:30"))
    assert response.status_code == 400
    assert "Skriv også datoen for opstartsmødet." in response.content.decode()


@pytest.mark.django_db
def test_the_kickoff_must_come_before_the_meeting(course, facilitator_client):
    url = reverse("dialogue:course_edit", args=[course.pk])
    data = course_form_data(kickoff_date="2030-03-20", meeting_date="2030-03-10")
    response = facilitator_client.post(url, data)
    assert "Opstartsmødet skal ligge før opsamlingsmødet." in response.content.decode()


@pytest.mark.django_db
def test_a_new_course_gets_its_kickoff_from_the_form(workplace, tool, facilitator):
    client = logged_in(facilitator)
    data = course_form_data(workplace=workplace.pk, kickoff_date="2030-03-04", kickoff_place="Mødelokale 2")
    assert client.post(reverse("dialogue:course_new"), data).status_code == 302
    course = Course.objects.get()
    assert timezone.localtime(course.kickoff_starts_at).time() == time(9, 0)
    assert course.kickoff_place == "Mødelokale 2"
