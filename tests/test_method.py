"""The method as the facilitator's guide (seed 000) writes it: prompts that agree with the agenda,
the printed drejebog with everything the guide holds, M2 as the guide lays it out, one scale."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from sessions.models import Activity, AgendaItem, ChecklistItem, ChecklistStage

pytestmark = pytest.mark.django_db


def prompt(course, key: str) -> str:
    activity = Activity.objects.get(agenda_item__tool=course.tool, key=key)
    return course.fill(course.prompt_text(activity))


# --- prompts --------------------------------------------------------------------------------------


def test_the_programme_prompt_takes_its_minutes_from_the_agenda(course):
    text = prompt(course, "programme")
    assert "»Borgernes reaktioner« 20 minutter, »Hvad har overrasket os?« 15 minutter og »Hvad kan vi lære?« 15" in text
    assert "tyve" not in text


def test_the_programme_prompt_follows_a_changed_agenda(course):
    AgendaItem.objects.filter(tool=course.tool, number=4).update(duration_minutes=20)
    assert "»Hvad har overrasket os?« 20 minutter" in prompt(course, "programme")


def test_the_course_page_shows_the_programme_with_its_minutes(course, facilitator_client):
    html = facilitator_client.get(reverse("dialogue:course", args=[course.pk])).content.decode()
    assert "»Borgernes reaktioner« 20 minutter" in html


def test_the_own_example_names_the_service_the_facilitator_tried(course, touchpoints):
    course.chosen_touchpoint = touchpoints[1]  # the team chose another one than the facilitator proposed
    course.save()
    text = prompt(course, "own_example")
    assert f"Jeg spurgte en borger om oplevelsen af {touchpoints[0].name}," in text
    assert f"mindst én borger eller bruger om oplevelsen af {touchpoints[1].name}." in text


def test_markers_go_to_both_zones(course):
    texts = ChecklistItem.objects.filter(tool=course.tool, stage=ChecklistStage.MEETING_DAY).values_list(
        "text", flat=True
    )
    assert any("tuscher i begge zoner" in text for text in texts)


@pytest.mark.django_db(transaction=True)
def test_a_database_loaded_from_the_earlier_template_gets_the_new_wording(tool):
    """0013 changes the texts a database got from the earlier fixture, and keeps an administrator's own."""
    executor = MigrationExecutor(connection)
    executor.migrate([("dialogue", "0012_vote_without_participant")])  # back to the earlier wording
    programme = Activity.objects.get(agenda_item__tool=tool, key="programme")
    assert programme.prompt.endswith("Hvert punkt tager omkring tyve minutter.")
    Activity.objects.filter(agenda_item__tool=tool, key="own_example").update(prompt="Vores egen tekst.")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    programme.refresh_from_db()
    assert programme.prompt.endswith("Tiden fordeler sig sådan: {programme}.")
    assert Activity.objects.get(agenda_item__tool=tool, key="own_example").prompt == "Vores egen tekst."
    day = ChecklistItem.objects.filter(tool=tool, stage=ChecklistStage.MEETING_DAY).values_list("text", flat=True)
    assert any("tuscher i begge zoner" in text for text in day)
