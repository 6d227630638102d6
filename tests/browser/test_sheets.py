"""Reflection sheets on a phone: autosave, offline typing, reload and an offline submit lose nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from interviews.models import ReflectionSheet, SheetStatus
from sessions.models import CoursePhase, Participant

from ..phones import join_as
from .conftest import LAPTOP, PHONE, SMALLEST, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def interviewing(course, touchpoints):
    course.phase = CoursePhase.INTERVIEWS
    course.chosen_touchpoint = touchpoints[0]
    course.meeting_starts_at = timezone.now() + timedelta(days=7)
    course.save()
    return course


@pytest.fixture
def mette(interviewing):
    return Participant.objects.create(course=interviewing, display_name="Mette")


def test_a_sheet_survives_offline_typing_a_reload_and_an_offline_submit(page, live_server, visit, mette):
    page.set_viewport_size(PHONE)
    join_as(page, live_server, mette)
    base = f"{live_server.url}/deltager/{mette.course_id}"
    visit(page, f"{base}/spoergeguide/")
    expect(page.get_by_text("Hvad fungerer godt for dig, når du bruger Online tidsbestilling?")).to_be_visible()
    page.get_by_role("link", name="Til mine refleksionsark").click()
    visit(page, page.url)
    page.get_by_role("button", name="Udfyld dit første ark").click()
    sheet_url = page.url
    visit(page, sheet_url)

    page.get_by_label("Hvordan brugte borgeren servicemødet?").fill("Bookede tid på mobilen")
    page.get_by_label("Borgerens svar på spørgsmål 1").fill("Det går hurtigt")
    page.get_by_label("Punkt 1").first.fill("Sparer en tur")
    page.get_by_role("button", name="Tilføj et punkt – Positive virkninger").click()
    page.keyboard.type("Kan gøres om aftenen")
    expect(page.locator("#save-state")).to_contain_text("Gemt kl.")
    expect(page.locator("#id_context_count")).to_have_text("22 af 300 tegn")

    page.context.set_offline(True)
    page.get_by_label("Det overraskede mig").fill("offline første del")
    page.get_by_label("Det overraskede mig").press_sequentially(" og mere")
    expect(page.locator("#save-state")).to_have_text("Ingen forbindelse – gemmes igen automatisk")
    with pytest.raises(PlaywrightError):
        page.reload()  # no network: the phone shows its error page, the words stay in localStorage

    page.context.set_offline(False)
    page.goto(sheet_url)
    expect(page.get_by_label("Det overraskede mig")).to_have_value("offline første del og mere")
    expect(page.locator("#save-state")).to_contain_text("Gemt kl.")
    visit(page, sheet_url)  # a second load of the same page: the copy was sent, nothing is restored twice
    expect(page.get_by_label("Det overraskede mig")).to_have_value("offline første del og mere")

    page.context.set_offline(True)
    page.get_by_label("Det kan vi lære").fill("sidste ord skrevet offline")
    page.get_by_role("button", name="Aflever arket").click()
    expect(page.locator("#save-state")).to_contain_text("afleveres automatisk")
    page.context.set_offline(False)
    page.wait_for_url(f"{base}/ark/")
    expect(page.get_by_text("Tak! Arket er afleveret.")).to_be_visible()

    sheet = ReflectionSheet.objects.get()
    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet.answers["context"] == "Bookede tid på mobilen"
    assert sheet.answers["answer_1"] == "Det går hurtigt"
    assert sheet.items("positives") == ["Sparer en tur", "Kan gøres om aftenen"]
    assert sheet.answers["surprises"] == "offline første del og mere"
    assert sheet.answers["learnings"] == "sidste ord skrevet offline"
    assert ReflectionSheet.objects.count() == 1


def test_a_cpr_number_is_shown_as_an_error_while_typing(page, live_server, axe, mette):
    page.set_viewport_size(PHONE)
    join_as(page, live_server, mette)
    sheet = ReflectionSheet.objects.create(participant=mette)
    page.goto(f"{live_server.url}/deltager/{mette.course_id}/ark/{sheet.pk}/")
    page.get_by_label("Det overraskede mig").fill("Han sagde 010203-1234")
    expect(page.locator("#id_surprises_error")).to_contain_text("Feltet »Det overraskede mig«")
    expect(page.get_by_label("Det overraskede mig")).to_have_value("Han sagde 010203-1234")
    page.get_by_label("Punkt 1").first.fill("Hurtigt")
    page.get_by_label("Hvordan brugte borgeren servicemødet?").fill("Hun hedder Anne Hansen")
    page.get_by_label("Hvordan brugte borgeren servicemødet?").press("Enter")  # saves, never removes an item
    expect(page.locator("#id_context_hint")).to_be_visible()
    expect(page.get_by_label("Punkt 1").first).to_have_value("Hurtigt")
    assert_accessible(axe, page)
    page.screenshot(path="/tmp/issue4-sheet-errors.png", full_page=True)


def test_the_sheet_fits_320_px_and_is_accessible(page, live_server, axe, mette):
    page.set_viewport_size(SMALLEST)
    join_as(page, live_server, mette)
    sheet = ReflectionSheet.objects.create(participant=mette)
    page.goto(f"{live_server.url}/deltager/{mette.course_id}/ark/{sheet.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert_accessible(axe, page)
    page.screenshot(path="/tmp/issue4-sheet-320.png", full_page=True)


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_facilitator_overview_is_accessible(page, live_server, visit, login, interviewing, facilitator, size):
    people = [Participant.objects.create(course=interviewing, display_name=f"P{i}") for i in range(3)]
    for number, person in enumerate(people, start=1):
        ReflectionSheet.objects.create(
            participant=person,
            status=SheetStatus.SUBMITTED,
            submitted_at=timezone.now(),
            experience=number + 1,
            signed=number == 1,
            answers={"positives": ["Hurtigt"], "negatives": ["Svær login"], "surprises": "Overraskende"},
        )
    page.set_viewport_size(size)
    login(page, "frida")
    visit(page, f"{live_server.url}/forloeb/{interviewing.pk}/refleksionsark/")
    page.screenshot(path=f"/tmp/issue4-overview-{size['width']}.png", full_page=True)


def test_the_facilitator_fills_in_an_own_example(page, live_server, visit, login, interviewing, facilitator):
    page.set_viewport_size(PHONE)
    login(page, "frida")
    page.goto(f"{live_server.url}/forloeb/{interviewing.pk}/")
    page.get_by_role("button", name="Udfyld dit eget eksempel").click()
    page.wait_for_url("**/ark/*/")
    expect(page.get_by_text("dit eksempel")).to_be_visible()
    visit(page, page.url)
    page.screenshot(path="/tmp/issue4-sheet-phone.png", full_page=True)


def test_a_sheet_after_the_meeting_started_is_read_only_and_accessible(page, live_server, visit, mette, interviewing):
    sheet = ReflectionSheet.objects.create(
        participant=mette,
        status=SheetStatus.SUBMITTED,
        experience=2,
        answers={"positives": ["Hurtigt"], "surprises": "Ingen brugte appen"},
    )
    interviewing.phase = CoursePhase.MEETING
    interviewing.save()
    page.set_viewport_size(PHONE)
    join_as(page, live_server, mette)
    visit(page, f"{live_server.url}/deltager/{mette.course_id}/ark/")
    visit(page, f"{live_server.url}/deltager/{mette.course_id}/ark/{sheet.pk}/")
    expect(page.get_by_text("Ingen brugte appen")).to_be_visible()
    assert page.locator("textarea").count() == 0


def test_the_overview_summary_picks_up_a_new_sheet(page, live_server, login, interviewing, facilitator, mette):
    page.set_viewport_size(LAPTOP)
    login(page, "frida")
    page.goto(f"{live_server.url}/forloeb/{interviewing.pk}/refleksionsark/")
    expect(page.locator("#sheets-summary")).to_contain_text("0 afleverede ark")
    ReflectionSheet.objects.create(
        participant=mette, status=SheetStatus.SUBMITTED, submitted_at=timezone.now(), answers={"negatives": ["Kø"]}
    )
    expect(page.locator("#sheets-summary")).to_contain_text("1 afleveret ark", timeout=20_000)
    expect(page.locator("#negatives-heading")).to_contain_text("(1)")


def test_a_copy_older_than_another_devices_save_can_still_be_used(page, live_server, axe, mette):
    page.set_viewport_size(PHONE)
    join_as(page, live_server, mette)
    sheet = ReflectionSheet.objects.create(participant=mette)
    url = f"{live_server.url}/deltager/{mette.course_id}/ark/{sheet.pk}/"
    page.goto(url)
    page.context.set_offline(True)
    page.get_by_label("Det kan vi lære").fill("skrevet på telefonen")
    expect(page.locator("#save-state")).to_have_text("Ingen forbindelse – gemmes igen automatisk")
    ReflectionSheet.objects.filter(pk=sheet.pk).update(revision=1, answers={"learnings": "fra en anden enhed"})
    page.context.set_offline(False)
    page.goto(url)
    expect(page.get_by_label("Det kan vi lære")).to_have_value("fra en anden enhed")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Brug udgaven fra telefonen i stedet").click()
    expect(page.get_by_label("Det kan vi lære")).to_have_value("skrevet på telefonen")
    expect(page.locator("#save-state")).to_contain_text("Gemt kl.")
    sheet.refresh_from_db()
    assert sheet.answers["learnings"] == "skrevet på telefonen"
