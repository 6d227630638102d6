"""Who takes part and what counts as an interview: one answer on every page, PDF, export and e-mail.

A vote for someone without a phone makes nobody a participant.
"""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from sessions import meeting as svc
from sessions.export import votes as votes_csv
from sessions.models import Group, GroupKind, Participant, Vote


def page(client, name, course) -> str:
    response = client.get(reverse(name, args=[course.pk]))
    assert response.status_code == 200
    return response.content.decode()


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
