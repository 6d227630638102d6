from datetime import datetime, time

import pytest
from django.db import IntegrityError
from django.utils import timezone

from interviews.models import ReflectionSheet, SheetStatus
from sessions.models import (
    BLANK,
    JOIN_CODE_ALPHABET,
    AgendaPhase,
    Card,
    Course,
    Participant,
    Touchpoint,
    Vote,
    Zone,
    fill_placeholders,
)
from sessions.services import course_create, tool_load

pytestmark = pytest.mark.django_db


def test_the_template_has_the_guides_agenda(tool):
    agenda = [(i.number, i.title, i.duration_minutes, i.phase) for i in tool.agenda_items.all()]
    assert agenda == [
        (1, "Valg af digitalt servicemøde", 20, AgendaPhase.KICKOFF),
        (2, "Introduktion", 10, AgendaPhase.FOLLOWUP),
        (3, "Borgernes reaktioner", 20, AgendaPhase.FOLLOWUP),
        (4, "Hvad har overrasket os?", 15, AgendaPhase.FOLLOWUP),
        (5, "Hvad kan vi lære?", 15, AgendaPhase.FOLLOWUP),
    ]
    assert sum(i.duration_minutes for i in tool.agenda_items.filter(phase=AgendaPhase.FOLLOWUP)) == 60


def test_the_template_has_two_questions_a_sheet_and_four_printables(tool):
    assert tool.questions.count() == 2
    assert {"positives", "negatives", "surprises", "learnings", "experience"} <= set(
        tool.sheet_fields.values_list("key", flat=True)
    )
    assert list(tool.materials.values_list("code", flat=True)) == ["M1", "M2", "M3", "M4"]


def test_loading_the_template_twice_changes_nothing(tool):
    before = (tool.agenda_items.count(), tool.checklist_items.count(), tool.sheet_fields.count())
    tool_load()
    assert (tool.agenda_items.count(), tool.checklist_items.count(), tool.sheet_fields.count()) == before


def test_card_round_has_a_ten_minute_sub_timer(tool):
    activity = tool.agenda_items.get(number=3).activities.get(key="card_round")
    assert activity.timer_minutes == 10


def test_join_codes_avoid_ambiguous_characters(course):
    assert len(course.join_code) == 6
    assert set(course.join_code) <= set(JOIN_CODE_ALPHABET)
    assert not set("0O1lI") & set(JOIN_CODE_ALPHABET)


def test_every_course_gets_its_own_join_code(workplace, tool):
    codes = {course_create(workplace=workplace, tool=tool, title=f"Forløb {i}").join_code for i in range(30)}
    assert len(codes) == 30


def test_agenda_clock_times_run_from_the_meeting_start(course):
    course.meeting_starts_at = timezone.make_aware(datetime(2026, 12, 3, 13, 0))
    course.save()
    meeting = course.agenda(AgendaPhase.FOLLOWUP)
    assert [(e.number, e.begins.strftime("%H:%M"), e.ends.strftime("%H:%M")) for e in meeting] == [
        (2, "13:00", "13:10"),
        (3, "13:10", "13:30"),
        (4, "13:30", "13:45"),
        (5, "13:45", "14:00"),
    ]


def test_agenda_without_a_date_has_no_clock_times(course):
    assert all(entry.begins is None for entry in course.agenda())


def test_prompts_fill_in_the_touchpoint_or_leave_a_blank(course, touchpoints):
    assert course.fill("Jeg foreslår {proposed_touchpoint}.") == "Jeg foreslår Online tidsbestilling."
    assert fill_placeholders("Vi mødes {meeting_date}.", {}) == f"Vi mødes {BLANK}."


def test_the_chosen_touchpoint_wins_over_the_proposed(course, touchpoints):
    course.chosen_touchpoint = touchpoints[2]
    assert course.touchpoint == touchpoints[2]


def test_the_facilitators_example_fills_the_own_surprise(course):
    host = Participant.objects.create(course=course, display_name="Frida")
    ReflectionSheet.objects.create(
        participant=host, is_example=True, status=SheetStatus.SUBMITTED, answers={"surprises": "spam-mappen"}
    )
    assert course.fill("Det overraskede mig: {own_surprise}.") == "Det overraskede mig: spam-mappen."


def test_meeting_time_placeholder_uses_copenhagen_time(course):
    course.meeting_starts_at = timezone.make_aware(datetime.combine(datetime(2026, 7, 1), time(13, 30)))
    assert course.placeholders()["meeting_time"] == "13:30"


def test_a_participant_votes_once_per_course(course, touchpoints):
    participant = Participant.objects.create(course=course)
    Vote.objects.create(course=course, participant=participant, touchpoint=touchpoints[0])
    with pytest.raises(IntegrityError):
        Vote.objects.create(course=course, participant=participant, touchpoint=touchpoints[1])


def test_a_double_tap_cannot_store_a_card_twice(course):
    card = Card.objects.create(course=course, zone=Zone.NEGATIVE, text="Svært login")
    with pytest.raises(IntegrityError):
        Card.objects.create(course=course, zone=Zone.NEGATIVE, text="Svært login", client_key=card.client_key)


def test_a_card_needs_a_real_zone(course):
    with pytest.raises(IntegrityError):
        Card.objects.create(course=course, zone="maybe", text="x")


def test_touchpoint_names_are_unique_per_workplace_ignoring_case(workplace, touchpoints):
    with pytest.raises(IntegrityError):
        Touchpoint.objects.create(workplace=workplace, name="online TIDSBESTILLING")


def test_sheet_experience_is_one_to_five(course):
    participant = Participant.objects.create(course=course)
    with pytest.raises(IntegrityError):
        ReflectionSheet.objects.create(participant=participant, experience=6)


def test_anonymous_participants_have_a_neutral_name(course):
    assert str(Participant(course=course).public_name) == "Anonym deltager"


def test_visible_courses_are_those_of_own_workplaces(course, facilitator, leader, stranger):
    assert list(Course.objects.visible_to(facilitator)) == [course]
    assert list(Course.objects.visible_to(leader)) == [course]
    assert list(Course.objects.visible_to(stranger)) == []
    assert list(Course.objects.managed_by(leader)) == []
