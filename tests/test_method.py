"""The method as the facilitator's guide (seed 000) writes it: prompts that agree with the agenda,
the printed drejebog with everything the guide holds, M2 as the guide lays it out, one scale."""

import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from interviews.models import ReflectionSheet, SheetStatus
from sessions.export import sheets as sheets_csv
from sessions.models import Activity, AgendaItem, ChecklistItem, ChecklistStage, Participant

from .conftest import logged_in
from .phones import phone_for

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


# --- M2 and the scale -----------------------------------------------------------------------------

QUESTION_1 = "Hvad fungerer godt for dig, når du bruger Online tidsbestilling?"


def pdf_pages(client, course, name: str) -> list[str]:
    response = client.get(reverse("dialogue:printable", args=[course.pk, name]))
    assert response.status_code == 200
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages]


def handed_in(participant, **fields):
    return ReflectionSheet.objects.create(
        participant=participant, status=SheetStatus.SUBMITTED, submitted_at=timezone.now(), **fields
    )


def test_the_blank_m2_asks_each_question_beside_its_answer(course, facilitator_client):
    text = " ".join(pdf_pages(facilitator_client, course, "m2"))
    assert f"Borgerens svar på spørgsmål 1 {QUESTION_1}" in text
    assert "Borgerens svar på spørgsmål 2 Hvad er svært eller irriterende, når du bruger Online" in text


def test_the_blank_m2_gives_the_interview_one_page_and_the_reflection_the_other(course, facilitator_client):
    interview, reflection = pdf_pages(facilitator_client, course, "m2")
    assert "Borgerens svar på spørgsmål 2" in interview
    for label in ["Positive virkninger", "Negative virkninger", "Det overraskede mig", "Det kan vi lære"]:
        assert label in reflection  # not a second page with only the last two fields and the scale


def test_the_filled_m2_repeats_the_question_beside_the_answer(course, facilitator_client, add_participants):
    handed_in(add_participants(1)[0], answers={"answer_1": "Hurtigt og nemt"})
    text = " ".join(pdf_pages(facilitator_client, course, "m2-udfyldt"))
    assert f"Borgerens svar på spørgsmål 1 {QUESTION_1} Hurtigt og nemt" in text


def test_the_filled_m2_shows_the_example_as_the_example(course, facilitator, add_participants):
    host = Participant.objects.create(course=course, user=facilitator, display_name="Frida")
    handed_in(host, is_example=True, answers={"context": "Mit eget interview"})
    handed_in(add_participants(1)[0], answers={"context": "Et interview"})
    text = " ".join(pdf_pages(logged_in(facilitator), course, "m2-udfyldt"))
    assert "Facilitatorens eksempel" in text and "Refleksionsark 1" in text
    assert "Refleksionsark 2" not in text


def test_the_scale_has_one_wording_on_every_page_pdf_and_export(course, facilitator_client, add_participants):
    handed_in(add_participants(1)[0], experience=3, answers={"context": "Et interview"})
    neutral = "Hverken god eller dårlig"  # as the phone's sheet has always said it
    overview = facilitator_client.get(reverse("interviews:overview", args=[course.pk])).content.decode()
    summary = " ".join(pdf_pages(facilitator_client, course, "opsamling"))
    blank = " ".join(pdf_pages(facilitator_client, course, "m2"))
    filled = " ".join(pdf_pages(facilitator_client, course, "m2-udfyldt"))
    assert neutral in overview and neutral in summary and neutral in blank and neutral in filled
    assert f"3 – {neutral}" in sheets_csv(course).decode("utf-8-sig")
    assert "Middel" not in summary


# --- the printed drejebog ---------------------------------------------------------------------------


def test_the_drejebog_holds_the_preparation_the_materials_the_mail_and_the_follow_up(course, facilitator_client):
    text = " ".join(pdf_pages(facilitator_client, course, "drejebog"))
    for expected in [
        "Inden første møde",
        "Prøv spørgeguiden af på en borger eller bruger.",
        "Inden opsamlingsmødet",
        "På dagen",
        "Læg tuscher i begge zoner",
        "M4 Kort med positive og negative oplevelser Ét sæt til hver deltager",
        "Gode råd til interviewet",
        "Mailen efter opstartsmødet",
        "Borgerens blik: vi undersøger Online tidsbestilling",
        "Som aftalt på personalemødet spørger vi hver især mindst én borger",
        "Opfølgning",
        "Tag billeder af kortene med positive og negative oplevelser",
    ]:
        assert expected in text, expected


def test_the_drejebogs_mail_prints_typed_text_as_text(course, facilitator_client):
    course.meeting_starts_at = timezone.now()
    course.meeting_place = "<b>Rådhuset</b>"
    course.save()
    text = " ".join(pdf_pages(facilitator_client, course, "drejebog"))
    assert "<b>Rådhuset</b>. Tag dit refleksionsark med." in text  # in the mail, not as markup


# --- the participant's own sheets as PDF ------------------------------------------------------------


def test_the_phones_sheet_list_links_to_the_own_sheets_pdf(course, add_participants):
    participant = add_participants(1)[0]
    handed_in(participant, answers={"context": "Mit interview"})
    phone = phone_for(participant)
    pdf = reverse("dialogue:own_sheets_pdf", args=[course.pk])
    assert f'href="{pdf}"' in phone.get(reverse("interviews:sheets", args=[course.pk])).content.decode()
    assert phone.get(pdf)["Content-Type"] == "application/pdf"


def test_the_phones_start_page_links_to_the_own_sheets_pdf_in_the_interview_period(course, add_participants):
    course.phase = "interviews"
    course.save()
    participant = add_participants(1)[0]
    phone = phone_for(participant)
    home = reverse("dialogue:participant_home", args=[course.pk])
    pdf = reverse("dialogue:own_sheets_pdf", args=[course.pk])
    assert pdf not in phone.get(home).content.decode()  # nothing to download yet
    handed_in(participant, answers={"context": "Mit interview"})
    assert f'href="{pdf}"' in phone.get(home).content.decode()
