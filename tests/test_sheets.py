"""The interview guide and reflection sheets on the phone, the facilitator's example and overview."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import ReflectionSheet, SheetStatus
from sessions.models import CoursePhase, Participant

from .phones import phone_for


@pytest.fixture
def interviewing(course, touchpoints):
    course.phase = CoursePhase.INTERVIEWS
    course.chosen_touchpoint = touchpoints[1]
    course.meeting_starts_at = timezone.now() + timedelta(days=7)
    course.save()
    return course


@pytest.fixture
def mette(interviewing):
    return Participant.objects.create(course=interviewing, display_name="Mette")


@pytest.fixture
def phone(mette):
    return phone_for(mette)


@pytest.fixture
def sheet(mette):
    return ReflectionSheet.objects.create(participant=mette)


def edit_url(sheet):
    return reverse("interviews:sheet_edit", args=[sheet.participant.course_id, sheet.pk])


def autosave_url(sheet):
    return reverse("interviews:sheet_autosave", args=[sheet.participant.course_id, sheet.pk])


def filled(**changes):
    data = {
        "revision": 0,
        "interviewed_on": "2026-11-20",
        "context": "Bookede tid på mobilen i bussen",
        "age_band": "25–39",
        "answer_1": "Det går hurtigt",
        "answer_2": "Koden glemmer jeg",
        "positives": ["Sparer en tur", "Kan gøres om aftenen"],
        "negatives": ["Svær login"],
        "surprises": "At hun ikke vidste, man kunne flytte tiden",
        "learnings": "Vis tydeligere, hvor man flytter tiden",
        "experience": "4",
    }
    data.update(changes)
    return data


# --- The guide ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_shows_the_guide_with_the_chosen_touchpoint_and_the_advice(phone, interviewing):
    response = phone.get(reverse("interviews:guide", args=[interviewing.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Hvad fungerer godt for dig, når du bruger Selvbetjeningsskærm?" in text
    assert "Interviewet tager højst fem minutter." in text
    assert "Skriv aldrig borgerens navn, adresse eller CPR-nummer ned." in text


@pytest.mark.django_db
def test_a_phone_of_another_course_gets_no_guide(course, interviewing, workplace, tool, facilitator):
    from sessions.services import course_create

    other = course_create(workplace=workplace, tool=tool, title="Andet", created_by=facilitator)
    stranger = phone_for(Participant.objects.create(course=other))
    response = stranger.post(reverse("interviews:sheet_new", args=[interviewing.pk]))
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_guide_refuses_post(phone, interviewing):
    assert phone.post(reverse("interviews:guide", args=[interviewing.pk])).status_code == 405


# --- Sheets: list, create, edit ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_participant_can_start_several_sheets(phone, mette):
    url = reverse("interviews:sheet_new", args=[mette.course_id])
    first = phone.post(url)
    phone.post(url)
    assert mette.sheets.count() == 2
    assert first.url == edit_url(mette.sheets.first())
    listing = phone.get(reverse("interviews:sheets", args=[mette.course_id])).content.decode()
    assert "Ark 1" in listing and "Ark 2" in listing


@pytest.mark.django_db
def test_the_sheet_page_shows_every_field_of_the_tool(phone, sheet):
    text = phone.get(edit_url(sheet)).content.decode()
    for label in ["Dato for interviewet", "Positive virkninger", "Det overraskede mig", "Borgerens samlede oplevelse"]:
        assert label in text
    assert "Hvad er svært eller irriterende, når du bruger Selvbetjeningsskærm?" in text
    assert "Højst 1500 tegn" in text
    assert 'src="/static/js/sheet.js"' in text


@pytest.mark.django_db
def test_submitting_without_javascript_stores_the_sheet(phone, sheet):
    response = phone.post(edit_url(sheet), {**filled(), "action": "submit"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet.items("positives") == ["Sparer en tur", "Kan gøres om aftenen"]
    assert sheet.experience == 4
    assert sheet.answers["answer_2"] == "Koden glemmer jeg"
    assert sheet.revision == 1


@pytest.mark.django_db
def test_an_empty_submit_is_refused_with_a_message(phone, sheet):
    response = phone.post(edit_url(sheet), {"revision": 0, "action": "submit"})
    assert response.status_code == 400
    assert "Arket er tomt" in response.content.decode() or "Dette felt er påkrævet" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT


@pytest.mark.django_db
def test_a_submit_with_only_a_date_says_the_sheet_is_empty(phone, sheet):
    response = phone.post(edit_url(sheet), {"revision": 0, "interviewed_on": "2026-11-20", "action": "submit"})
    assert "Arket er tomt" in response.content.decode()


@pytest.mark.django_db
def test_over_long_text_is_refused_and_kept(phone, sheet):
    long = "ord " * 400
    response = phone.post(edit_url(sheet), {**filled(surprises=long), "action": "save"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "højst have 1500 tegn" in text
    assert long.strip() in text
    sheet.refresh_from_db()
    assert sheet.answers == {}


@pytest.mark.django_db
def test_an_over_long_item_is_refused(phone, sheet):
    response = phone.post(edit_url(sheet), {**filled(negatives=["x" * 281]), "action": "save"})
    assert response.status_code == 400
    assert "højst være 280 tegn" in response.content.decode()


@pytest.mark.django_db
def test_a_cpr_number_is_refused_naming_the_field_and_the_text_stays(phone, sheet):
    response = phone.post(edit_url(sheet), {**filled(surprises="Hun gav mig 010203-1234"), "action": "save"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Feltet »Det overraskede mig« ser ud til at indeholde et CPR-nummer" in text
    assert "Hun gav mig 010203-1234" in text
    sheet.refresh_from_db()
    assert sheet.revision == 0


@pytest.mark.django_db
def test_a_cpr_number_in_an_item_is_refused(phone, sheet):
    response = phone.post(autosave_url(sheet), filled(positives=["ok", "0102031234"]))
    assert response.status_code == 400
    assert "Positive virkninger" in response.json()["errors"]["positives"][0]


@pytest.mark.django_db
def test_a_full_name_gives_a_soft_reminder_but_is_saved(phone, sheet):
    response = phone.post(autosave_url(sheet), filled(context="Borgeren hedder Anne Hansen"))
    assert response.status_code == 200
    assert response.json()["hints"] == ["context"]
    sheet.refresh_from_db()
    assert sheet.answers["context"] == "Borgeren hedder Anne Hansen"


@pytest.mark.django_db
def test_the_reminder_shows_when_the_form_comes_back(phone, sheet):
    response = phone.post(edit_url(sheet), {**filled(context="Hun hedder Anne Hansen", surprises="x" * 1501)})
    text = response.content.decode()
    assert 'id="id_context_hint">' in text  # shown, not hidden
    assert 'id="id_answer_1_hint" hidden' in text


@pytest.mark.django_db
def test_adding_an_item_row_without_javascript_keeps_what_was_typed(phone, sheet):
    response = phone.post(edit_url(sheet), {**filled(), "add": "negatives"})
    text = response.content.decode()
    assert text.count('name="negatives"') == 3  # "Svær login" and two empty rows
    assert "Svær login" in text
    sheet.refresh_from_db()
    assert sheet.revision == 0


@pytest.mark.django_db
def test_removing_an_item_row_without_javascript(phone, sheet):
    response = phone.post(edit_url(sheet), {**filled(), "remove": "positives:0"})
    text = response.content.decode()
    assert "Sparer en tur" not in text
    assert "Kan gøres om aftenen" in text


@pytest.mark.django_db
def test_another_participants_sheet_is_404(interviewing, sheet):
    other = phone_for(Participant.objects.create(course=interviewing))
    assert other.get(edit_url(sheet)).status_code == 404
    assert other.post(edit_url(sheet), filled()).status_code == 404


@pytest.mark.django_db
def test_a_forged_autosave_for_another_participants_sheet_stores_nothing(interviewing, sheet):
    other = phone_for(Participant.objects.create(course=interviewing))
    response = other.post(autosave_url(sheet), filled(surprises="forfalsket"))
    assert response.status_code == 404
    sheet.refresh_from_db()
    assert sheet.answers == {}


@pytest.mark.django_db
def test_an_autosave_without_the_cookie_is_refused(client, sheet):
    assert client.post(autosave_url(sheet), filled()).status_code == 403


@pytest.mark.django_db
def test_the_autosave_refuses_get(phone, sheet):
    assert phone.get(autosave_url(sheet)).status_code == 405


# --- Autosave -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_autosave_stores_the_draft_and_says_when(phone, sheet):
    response = phone.post(autosave_url(sheet), filled(answer_1="Første ord"))
    body = response.json()
    assert body["saved"] and body["revision"] == 1
    assert body["message"].startswith("Gemt kl. ")
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
    assert sheet.answers["answer_1"] == "Første ord"


@pytest.mark.django_db
def test_a_stale_autosave_cannot_overwrite_a_newer_one(phone, sheet):
    phone.post(autosave_url(sheet), filled(answer_1="Ny tekst"))
    response = phone.post(autosave_url(sheet), filled(answer_1="Gammel tekst", revision=0))
    assert response.status_code == 409
    sheet.refresh_from_db()
    assert sheet.answers["answer_1"] == "Ny tekst"


@pytest.mark.django_db
def test_a_retried_submit_is_stored_once(phone, sheet):
    first = phone.post(autosave_url(sheet), {**filled(), "submit": "1"})
    again = phone.post(autosave_url(sheet), {**filled(), "submit": "1"})  # the first answer was lost offline
    assert first.status_code == again.status_code == 200
    assert again.json()["redirect"] == reverse("interviews:sheets", args=[sheet.participant.course_id])
    sheet.refresh_from_db()
    assert sheet.revision == 1
    assert ReflectionSheet.objects.count() == 1


@pytest.mark.django_db
def test_a_submitting_autosave_checks_required_fields(phone, sheet):
    response = phone.post(autosave_url(sheet), {**filled(interviewed_on=""), "submit": "1"})
    assert response.status_code == 400
    assert "interviewed_on" in response.json()["errors"]


# --- The deadline -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sheets_are_read_only_once_the_meeting_phase_starts(phone, sheet, interviewing):
    sheet.answers = {"surprises": "Læses stadig"}
    sheet.save()
    interviewing.phase = CoursePhase.MEETING
    interviewing.save()
    page = phone.get(edit_url(sheet)).content.decode()
    assert "kan kun læses" in page and "Læses stadig" in page and "<textarea" not in page
    assert phone.post(autosave_url(sheet), filled()).status_code == 403
    phone.post(edit_url(sheet), filled())
    sheet.refresh_from_db()
    assert sheet.revision == 0


@pytest.mark.django_db
def test_sheets_lock_when_the_meeting_time_has_passed(phone, sheet, interviewing):
    interviewing.meeting_starts_at = timezone.now() - timedelta(minutes=1)
    interviewing.save()
    response = phone.post(autosave_url(sheet), filled())
    assert response.status_code == 403
    assert "Opsamlingsmødet er gået i gang" in response.json()["errors"]["__all__"][0]
    assert phone.post(reverse("interviews:sheet_new", args=[interviewing.pk])).status_code == 302
    assert sheet.participant.sheets.count() == 1


# --- The facilitator's example -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_facilitator_opens_an_own_example_sheet(facilitator_client, facilitator, course):
    response = facilitator_client.post(reverse("interviews:example", args=[course.pk]))
    participant = course.participants.get(user=facilitator)
    sheet = participant.sheets.get()
    assert sheet.is_example
    assert response.url == edit_url(sheet)
    assert facilitator_client.get(response.url).status_code == 200  # the cookie was set
    facilitator_client.post(reverse("interviews:example", args=[course.pk]))
    assert ReflectionSheet.objects.filter(is_example=True).count() == 1


@pytest.mark.django_db
def test_a_leader_cannot_make_the_example(leader_client, course):
    assert leader_client.post(reverse("interviews:example", args=[course.pk])).status_code == 403


@pytest.mark.django_db
def test_a_stranger_cannot_make_the_example(stranger_client, course):
    assert stranger_client.post(reverse("interviews:example", args=[course.pk])).status_code == 404


@pytest.mark.django_db
def test_the_example_refuses_get(facilitator_client, course):
    assert facilitator_client.get(reverse("interviews:example", args=[course.pk])).status_code == 405


# --- The facilitator's overview ----------------------------------------------------------------------


def submitted_sheet(participant, **answers):
    return ReflectionSheet.objects.create(
        participant=participant,
        status=SheetStatus.SUBMITTED,
        submitted_at=timezone.now(),
        experience=answers.pop("experience", None),
        signed=answers.pop("signed", False),
        answers=answers,
    )


@pytest.mark.django_db
def test_the_overview_gathers_effects_surprises_and_smileys(facilitator_client, interviewing, mette):
    submitted_sheet(
        mette, positives=["Hurtigt"], negatives=["Svær login"], surprises="Ingen brugte appen", experience=4
    )
    submitted_sheet(mette, positives=["Nemt"], experience=4)
    ReflectionSheet.objects.create(participant=mette, answers={"negatives": ["Kladde vises ikke"]})
    text = facilitator_client.get(reverse("interviews:overview", args=[interviewing.pk])).content.decode()
    assert "Hurtigt" in text and "Nemt" in text and "Svær login" in text and "Ingen brugte appen" in text
    assert "Kladde vises ikke" not in text
    assert "<td>2</td>" in text  # two sheets rated 4
    assert "100 %" in text


@pytest.mark.django_db
def test_the_overview_shows_a_name_only_if_the_participant_signed(facilitator_client, interviewing):
    anna = Participant.objects.create(course=interviewing, display_name="Anna Skriver")
    bo = Participant.objects.create(course=interviewing, display_name="Bo Skjult")
    submitted_sheet(anna, surprises="a", signed=True)
    submitted_sheet(bo, surprises="b")
    text = facilitator_client.get(reverse("interviews:overview", args=[interviewing.pk])).content.decode()
    assert "Anna Skriver" in text
    assert "Bo Skjult" not in text


@pytest.mark.django_db
def test_the_overview_shows_names_when_the_course_is_not_anonymous(facilitator_client, interviewing):
    interviewing.anonymous = False
    interviewing.save()
    submitted_sheet(Participant.objects.create(course=interviewing, display_name="Bo Åben"), surprises="b")
    text = facilitator_client.get(reverse("interviews:overview", args=[interviewing.pk])).content.decode()
    assert "Bo Åben" in text


@pytest.mark.django_db
def test_a_participant_can_choose_to_sign(phone, sheet):
    assert "Vis mit navn ved arket" in phone.get(edit_url(sheet)).content.decode()
    phone.post(autosave_url(sheet), filled(signed="on"))
    sheet.refresh_from_db()
    assert sheet.signed


@pytest.mark.django_db
def test_a_leader_may_read_the_overview(leader_client, course):
    assert leader_client.get(reverse("interviews:overview", args=[course.pk])).status_code == 200


@pytest.mark.django_db
def test_a_stranger_gets_404_for_the_overview(stranger_client, course):
    assert stranger_client.get(reverse("interviews:overview", args=[course.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 60])
def test_the_overview_queries_do_not_grow_with_participants(
    facilitator_client, interviewing, count, django_assert_max_num_queries
):
    people = Participant.objects.bulk_create(
        Participant(course=interviewing, display_name=f"P{i}", token=f"t{i}") for i in range(count)
    )
    for person in people:
        submitted_sheet(person, positives=["a", "b"], negatives=["c"], surprises="d", experience=3, signed=True)
    with django_assert_max_num_queries(10):  # one of them finds the facilitator's example
        response = facilitator_client.get(reverse("interviews:overview", args=[interviewing.pk]))
    assert response.content.decode().count("<article") == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 60])
def test_the_sheet_page_queries_do_not_grow_with_participants(interviewing, count, django_assert_max_num_queries):
    people = Participant.objects.bulk_create(
        Participant(course=interviewing, display_name=f"P{i}", token=f"t{i}") for i in range(count)
    )
    for person in people:
        submitted_sheet(person, positives=["a"])
    sheet = people[0].sheets.get()
    phone = phone_for(people[0])
    with django_assert_max_num_queries(9):
        assert phone.get(edit_url(sheet)).status_code == 200
    with django_assert_max_num_queries(9):
        assert phone.get(reverse("interviews:sheets", args=[interviewing.pk])).status_code == 200


@pytest.mark.django_db
def test_a_phone_may_build_on_its_own_save_whose_answer_was_lost(phone, sheet):
    phone.post(autosave_url(sheet), filled(answer_1="Første", client="phone-a"))  # the answer never arrived
    response = phone.post(autosave_url(sheet), filled(answer_1="Første og anden", client="phone-a"))
    assert response.status_code == 200
    sheet.refresh_from_db()
    assert sheet.answers["answer_1"] == "Første og anden"


@pytest.mark.django_db
def test_another_browser_copy_with_an_old_revision_is_a_conflict(phone, sheet):
    phone.post(autosave_url(sheet), filled(answer_1="Fra telefonen", client="phone-a"))
    response = phone.post(autosave_url(sheet), filled(answer_1="Fra en anden fane", client="laptop-b"))
    assert response.status_code == 409


@pytest.mark.django_db
def test_the_course_page_links_to_the_sheets_and_the_example(facilitator_client, course):
    text = facilitator_client.get(reverse("dialogue:course", args=[course.pk])).content.decode()
    assert reverse("interviews:overview", args=[course.pk]) in text
    assert reverse("interviews:example", args=[course.pk]) in text


@pytest.mark.django_db
def test_a_leader_sees_no_example_button(leader_client, course):
    text = leader_client.get(reverse("dialogue:course", args=[course.pk])).content.decode()
    assert reverse("interviews:example", args=[course.pk]) not in text


@pytest.mark.django_db
def test_the_default_button_saves_rather_than_removes(phone, sheet):
    text = phone.get(edit_url(sheet)).content.decode()
    form = text[text.index("<form") :]
    assert form.index('value="save"') < form.index('name="remove"')


@pytest.mark.django_db
def test_the_reminder_shows_for_a_stored_name_when_the_sheet_is_opened(phone, sheet):
    sheet.answers = {"negatives": ["Navnet er Ole Sørensen"]}
    sheet.save()
    text = phone.get(edit_url(sheet)).content.decode()
    assert 'id="id_negatives_hint">' in text


@pytest.mark.django_db
def test_the_overview_summary_is_an_htmx_partial(facilitator_client, interviewing, mette):
    submitted_sheet(mette, positives=["Hurtigt"])
    response = facilitator_client.get(reverse("interviews:overview", args=[interviewing.pk]), HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert 'id="sheets-summary"' in text and "Hurtigt" in text
    assert "<html" not in text and "Arkene ét for ét" not in text


@pytest.mark.django_db
def test_an_unchanged_overview_answers_304_and_a_new_sheet_changes_it(facilitator_client, interviewing, mette):
    url = reverse("interviews:overview", args=[interviewing.pk])
    etag = facilitator_client.get(url, HTTP_HX_REQUEST="true")["ETag"]
    assert facilitator_client.get(url, HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=etag).status_code == 304
    submitted_sheet(mette, positives=["Ny"])
    assert facilitator_client.get(url, HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.django_db
def test_a_stale_form_without_javascript_keeps_the_text_and_may_be_saved_again(phone, sheet):
    phone.post(autosave_url(sheet), filled(answer_1="Fra en anden fane", client="tab-b"))
    response = phone.post(edit_url(sheet), {**filled(answer_1="Min udgave"), "action": "save"})
    text = response.content.decode()
    assert response.status_code == 409
    assert "Min udgave" in text and "ændret et andet sted" in text
    assert 'name="revision" value="1"' in text
    phone.post(edit_url(sheet), {**filled(answer_1="Min udgave", revision=1), "action": "save"})
    sheet.refresh_from_db()
    assert sheet.answers["answer_1"] == "Min udgave"
