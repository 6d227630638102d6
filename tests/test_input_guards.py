"""Hostile input through the real routes: CPR numbers in other scripts, ids int() refuses, NUL bytes and
line breaks in one-line fields. Each is refused with a Danish message, what was typed stays, nothing is a 500."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from borgerblik.inputs import id_or_none, parse_id
from interviews.models import ReflectionSheet
from sessions import meeting as svc
from sessions.models import Card, Course, CoursePhase, Decision, Group, GroupKind, Participant, Surprise, Touchpoint

from .phones import as_phone, phone_for
from .test_meeting import go_to

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
BAD_ID = "Formularen sendte et valg, der ikke kan læses"
NUL = "Teksten indeholder et usynligt nul-tegn"
ONE_LINE = "Feltet skal stå på én linje"


def page_of(response) -> str:
    return response.content.decode()


# --- the id helper --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "7", "123456789012345678"])
def test_ids_of_ascii_digits_are_read(value):
    assert parse_id(value) == int(value)


@pytest.mark.parametrize(
    "value",
    ["²", "1²", "١٢", "１２", "", " 1", "1 ", "-1", "+1", "1_000", "1e3", "\x00", "1234567890123456789", None, 3],
)
def test_everything_else_is_malformed(value):
    assert id_or_none(value) is None


# --- (2) CPR numbers written in other scripts reach the user with every word kept ----------------------


def card_round_phone(course, facilitator, add_participants):
    person = add_participants(1)[0]
    svc.zones_assign(course=course, by=facilitator, reshuffle=True)
    person.refresh_from_db()
    go_to(course, facilitator, "card_round")
    return person, as_phone(Client(), person)


@pytest.mark.parametrize(
    "text",
    [
        "Borger ０１０１９０－１２３４ ringede",  # full width digits and hyphen
        "Borger 010190\u202f1234 ringede",  # narrow no-break space
        "Borger 010190\u20071234 ringede",  # figure space
        "Borger 010190\u30001234 ringede",  # ideographic space
        "Borger ٠١٠١٩٠-١٢٣٤ ringede",  # Arabic-Indic digits
    ],
)
def test_a_phone_card_with_a_cpr_number_in_any_script_is_refused_with_the_text_kept(
    course, facilitator, add_participants, text
):
    me, phone = card_round_phone(course, facilitator, add_participants)
    data = {"text": text, "zone": me.zone, "client_key": str(uuid.uuid4())}
    url = reverse("dialogue:meeting_card", args=[course.pk])
    # With htmx the answer leaves the text field alone (the phone keeps every letter) and says why at the button.
    response = phone.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "CPR-nummer" in page_of(response) and 'name="text"' not in page_of(response)
    # Without JavaScript the page comes back with the text in the field.
    response = phone.post(url, data)
    assert response.status_code == 400
    assert "CPR-nummer" in page_of(response) and text in page_of(response)
    assert not Card.objects.exists()


@pytest.fixture
def sheet(course, touchpoints):
    course.phase = CoursePhase.INTERVIEWS
    course.chosen_touchpoint = touchpoints[1]
    course.save()
    return ReflectionSheet.objects.create(participant=Participant.objects.create(course=course, display_name="Mette"))


def sheet_url(sheet, name="sheet_edit"):
    return reverse(f"interviews:{name}", args=[sheet.participant.course_id, sheet.pk])


def sheet_data(**changes):
    return {
        "revision": 0,
        "context": "Bookede tid på mobilen",
        "positives": ["Sparer en tur", "Kan gøres om aftenen"],
        "negatives": ["Svær login"],
        "surprises": "At hun ikke vidste det",
        "action": "save",
        **changes,
    }


def test_a_sheet_with_a_cpr_number_in_a_narrow_space_is_refused_naming_the_field_and_keeping_the_text(sheet):
    typed = "Hun gav mig 010203\u202f1234 på et stykke papir"
    response = phone_for(sheet.participant).post(sheet_url(sheet), sheet_data(surprises=typed))
    assert response.status_code == 400
    assert "Feltet »Det overraskede mig« ser ud til at indeholde et CPR-nummer" in page_of(response)
    assert typed in page_of(response)
    sheet.refresh_from_db()
    assert sheet.revision == 0


def test_an_own_decision_with_a_full_width_cpr_number_is_refused_and_kept(course, facilitator_client):
    course.phase = CoursePhase.FOLLOWUP
    course.save()
    typed = "Ring til borgeren ０１０１９０－１２３４ igen"
    response = facilitator_client.post(
        reverse("dialogue:decision_write", args=[course.pk]), {"text": typed, "kind": "stop"}
    )
    assert response.status_code == 400
    assert "CPR-nummer" in page_of(response) and typed in page_of(response)
    assert not Decision.objects.exists()


# --- (9) ids that int() refuses: 400 with the form kept, never 500 ---------------------------------------


def test_removing_item_superscript_two_keeps_the_sheet_and_says_so(sheet):
    data = sheet_data(remove="positives:²", surprises="Det her skal blive stående")
    response = phone_for(sheet.participant).post(sheet_url(sheet), data)
    assert response.status_code == 400
    page = page_of(response)
    assert BAD_ID in page
    assert "Det her skal blive stående" in page and "Kan gøres om aftenen" in page
    sheet.refresh_from_db()
    assert sheet.revision == 0


def test_removing_an_item_still_works(sheet):
    response = phone_for(sheet.participant).post(sheet_url(sheet), sheet_data(remove="positives:0"))
    assert response.status_code == 200
    assert "Kan gøres om aftenen" in page_of(response) and "Sparer en tur" not in page_of(response)


@pytest.fixture
def ended(course):
    course.phase = CoursePhase.FOLLOWUP
    course.save()
    Card.objects.create(course=course, zone="negative", text="Svære fagord")
    return course


@pytest.mark.parametrize("source", ["card:²", "card:١", "surprise:-1", "method:", "card:99999999999999999999"])
def test_sorting_a_garbled_source_is_a_400_with_the_page(ended, facilitator_client, source):
    response = facilitator_client.post(
        reverse("dialogue:decision_sort", args=[ended.pk]), {"source": source, "kind": "keep"}
    )
    assert response.status_code == 400
    assert BAD_ID in page_of(response) and "Svære fagord" in page_of(response)
    assert not Decision.objects.exists()


def test_a_garbled_decision_in_the_trial_action_link_is_a_400_with_the_form(ended, facilitator_client):
    url = reverse("dialogue:trial_action_new", args=[ended.pk])
    response = facilitator_client.get(url, {"beslutning": "²"})
    assert response.status_code == 400
    assert BAD_ID in page_of(response) and 'name="title"' in page_of(response)
    decision = Decision.objects.create(course=ended, kind="keep", text="Læs op", source="own:x")
    response = facilitator_client.get(url, {"beslutning": str(decision.pk)})
    assert response.status_code == 200 and "Læs op" in page_of(response)


@pytest.mark.parametrize("group", ["²", "١", "", "1.0"])
def test_a_garbled_group_for_a_surprise_is_a_400_with_the_text_kept(
    course, facilitator, facilitator_client, add_participants, group
):
    add_participants(6)
    go_to(course, facilitator, "surprise_groups")
    svc.groups_form(course=course, by=facilitator, kind=GroupKind.SURPRISES)
    response = facilitator_client.post(
        reverse("dialogue:meeting_control", args=[course.pk]),
        {"action": "surprise_add", "group": group, "text": "Ingen læser brevet", "client_key": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert BAD_ID in page_of(response) and "Ingen læser brevet" in page_of(response)
    assert not Surprise.objects.exists()


@pytest.mark.parametrize("action", ["card_star:²", "dot_add:²", "zone_move"])
def test_other_controls_with_garbled_ids_are_a_400(course, facilitator, facilitator_client, action):
    svc.meeting_start(course=course, by=facilitator)
    response = facilitator_client.post(
        reverse("dialogue:meeting_control", args=[course.pk]), {"action": action, "participant": "²"}
    )
    assert response.status_code == 400 and BAD_ID in page_of(response)


# --- (9) NUL bytes: refused with a message, on SQLite and PostgreSQL alike ---------------------------------


def test_nul_in_a_sheet_is_refused_in_every_kind_of_field(sheet):
    phone = phone_for(sheet.participant)
    for field, value in [("surprises", "Før\x00efter"), ("context", "Før\x00efter"), ("positives", ["Før\x00efter"])]:
        response = phone.post(sheet_url(sheet, "sheet_autosave"), {**sheet_data(), field: value})
        assert response.status_code == 400, field
        assert NUL in response.json()["errors"][field][0]
    sheet.refresh_from_db()
    assert sheet.revision == 0


def test_a_nul_in_the_sheets_client_key_is_not_stored(sheet):
    response = phone_for(sheet.participant).post(
        sheet_url(sheet, "sheet_autosave"), {**sheet_data(), "client": "a\x00b"}
    )
    assert response.status_code == 200
    sheet.refresh_from_db()
    assert sheet.client_key == "" and sheet.revision == 1


def test_nul_on_a_phone_card_is_refused_with_the_text_kept(course, facilitator, add_participants):
    me, phone = card_round_phone(course, facilitator, add_participants)
    data = {"text": "Lang\x00kø", "zone": me.zone, "client_key": str(uuid.uuid4())}
    url = reverse("dialogue:meeting_card", args=[course.pk])
    response = phone.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and NUL in page_of(response) and 'name="text"' not in page_of(response)
    response = phone.post(url, data)  # without JavaScript: the page with the text kept
    assert response.status_code == 400 and NUL in page_of(response) and "Lang" in page_of(response)
    assert not Card.objects.exists()


def test_nul_in_an_own_decision_and_its_key_is_refused_or_replaced(course, facilitator_client):
    course.phase = CoursePhase.FOLLOWUP
    course.save()
    url = reverse("dialogue:decision_write", args=[course.pk])
    response = facilitator_client.post(url, {"text": "Læs\x00op", "kind": "stop"})
    assert response.status_code == 400 and NUL in page_of(response)
    assert facilitator_client.post(url, {"text": "Læs op", "kind": "stop", "client_key": "\x00"}).status_code == 302
    assert "\x00" not in Decision.objects.get().source


def test_nul_in_the_join_link_or_the_personal_link_is_a_404(course):
    assert Client().get("/j/%00/").status_code == 404
    assert Client().get("/deltager/retur/%00/").status_code == 404


# --- (10) one-line fields stay on one line ---------------------------------------------------------------


def course_data(**changes):
    return {"title": "Tidsbestilling", "meeting_place": "Mødelokale 2", "anonymous": "on", **changes}


@pytest.mark.parametrize(
    "field,typed",
    [
        ("title", "Kursus\r\nBcc: x@example.com"),
        ("title", "Kursus\nBcc: x@example.com"),
        ("title", "Kursus\u2028Bcc: x@example.com"),
        ("meeting_place", "Rådhuset\rlokale 2"),
        ("meeting_place", "Rådhuset\tlokale 2"),
        ("meeting_place", "Rådhuset\x00lokale 2"),
    ],
)
def test_a_line_break_in_the_title_or_meeting_place_is_refused_with_the_text_kept(
    course, facilitator_client, field, typed
):
    response = facilitator_client.post(reverse("dialogue:course_edit", args=[course.pk]), course_data(**{field: typed}))
    assert response.status_code == 400
    assert (NUL if "\x00" in typed else ONE_LINE) in page_of(response)
    assert f'value="{typed}"' in page_of(response)  # the field shows exactly what was typed
    course.refresh_from_db()
    assert (course.title, course.meeting_place) == ("Tidsbestilling", "")


def test_a_new_course_with_a_line_break_in_the_title_is_not_created(facilitator_client, workplace):
    response = facilitator_client.post(reverse("dialogue:course_new"), course_data(title="Kursus\r\nBcc: x@x.dk"))
    assert response.status_code == 400 and ONE_LINE in page_of(response)
    assert not Course.objects.filter(title__startswith="Kursus").exists()


def test_line_breaks_stay_allowed_where_the_field_is_a_textarea(course, facilitator_client):
    response = facilitator_client.post(
        reverse("dialogue:kickoff_known_facts", args=[course.pk]), {"known_facts": "Første linje\r\nAnden linje"}
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert "Anden linje" in course.known_facts


@pytest.mark.parametrize(
    "data",
    [{"name": "Selvbetjening\r\nBcc: x@x.dk", "description": ""}, {"name": "Skærm", "description": "Skærm\ni hallen"}],
)
def test_touchpoint_names_and_descriptions_stay_on_one_line(facilitator_client, workplace, data):
    before = Touchpoint.objects.count()
    response = facilitator_client.post(reverse("dialogue:touchpoints", args=[workplace.pk]), data)
    assert response.status_code == 400 and ONE_LINE in page_of(response)
    assert Touchpoint.objects.count() == before


def test_a_display_name_with_a_line_break_is_refused(course):
    response = Client().post(
        reverse("dialogue:join_code", args=[course.join_code]), {"display_name": "Mia\r\nBcc: x@x.dk", "email": ""}
    )
    assert response.status_code == 200 and ONE_LINE in page_of(response) and "Bcc: x@x.dk" in page_of(response)
    assert not Participant.objects.exists()


def test_a_sheet_item_or_one_line_answer_with_a_line_break_is_refused(sheet):
    phone = phone_for(sheet.participant)
    for field, value in [("context", "Bookede\ntid"), ("negatives", ["Svær\tlogin"])]:
        response = phone.post(sheet_url(sheet, "sheet_autosave"), {**sheet_data(), field: value})
        assert response.status_code == 400 and ONE_LINE in response.json()["errors"][field][0], field


def test_a_trial_action_title_with_a_line_break_is_refused(ended, facilitator_client):
    response = facilitator_client.post(
        reverse("dialogue:trial_action_new", args=[ended.pk]),
        {"title": "Kvittering\r\nmed tid", "experience": "Første\r\nanden", "client_key": str(uuid.uuid4())},
    )
    assert response.status_code == 400 and ONE_LINE in page_of(response)


@pytest.fixture
def invited(course, touchpoints):
    course.phase = CoursePhase.INTERVIEWS
    course.meeting_starts_at = datetime(2026, 12, 10, 13, 30, tzinfo=CPH)
    course.meeting_place = "Mødelokale 2, Rådhuset"
    course.save()
    Participant.objects.create(course=course, display_name="Mia", email="mia@kommune.dk")
    return course


def test_a_clean_course_still_gets_its_invitation_page_ics_and_e_mail(invited, facilitator_client):
    assert facilitator_client.get(reverse("dialogue:invitation", args=[invited.pk])).status_code == 200
    ics = facilitator_client.get(reverse("dialogue:meeting_ics", args=[invited.pk])).content.decode()
    assert "LOCATION:Mødelokale 2\\, Rådhuset\r\n" in ics
    assert "\r" not in ics.replace("\r\n", "")
    response = facilitator_client.post(
        reverse("dialogue:invitation_send", args=[invited.pk]), {"client_key": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    assert [m.subject for m in mail.outbox] == ["Borgerens blik: vi undersøger Online tidsbestilling"]


def test_a_course_stored_with_line_breaks_before_the_fix_still_sends_on_one_line(invited, facilitator_client):
    """Rows written before the forms refused line breaks (or through the admin) neither break mail nor .ics."""
    Course.objects.filter(pk=invited.pk).update(
        title="Kursus\r\nBcc: x@example.com", meeting_place="Rådhuset\rlokale 2", proposed_touchpoint=None
    )
    ics = facilitator_client.get(reverse("dialogue:meeting_ics", args=[invited.pk])).content.decode()
    assert "\r" not in ics.replace("\r\n", "") and "\n" not in ics.replace("\r\n", "")
    assert not any(line.startswith("Bcc") for line in ics.split("\r\n"))
    response = facilitator_client.post(
        reverse("dialogue:invitation_send", args=[invited.pk]), {"client_key": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.bcc == [] and "Bcc" not in message.message().get("Bcc", "")


def test_group_form_still_answers_for_a_real_group(course, facilitator, facilitator_client, add_participants):
    add_participants(6)
    go_to(course, facilitator, "surprise_groups")
    first, *_rest = svc.groups_form(course=course, by=facilitator, kind=GroupKind.SURPRISES)
    response = facilitator_client.post(
        reverse("dialogue:meeting_control", args=[course.pk]),
        {
            "action": "surprise_add",
            "group": str(first.pk),
            "text": "Ingen læser brevet",
            "client_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    assert Surprise.objects.get().group == Group.objects.get(pk=first.pk)
