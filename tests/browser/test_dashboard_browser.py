"""The meeting dashboard fits the meeting: what the facilitator needs now is above the fold at 1366×768,
and a control press swaps only the region it changes (a plain POST and redirect without JavaScript)."""

import pytest
from playwright.sync_api import expect

from sessions import meeting as svc

from .layout import LAPTOP
from .meeting_room import demo_meeting, go_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(course, facilitator):
    return demo_meeting(course, facilitator)


ESSENTIALS = ["#styring form", "#nu h2", "#nu .countdown", "#nu h3", "#nu .prompt", "#opgave"]


@pytest.mark.parametrize("key", ["zones", "card_round", "read_negative", "surprise_roundup", "methods"])
def test_the_dashboard_shows_what_the_facilitator_needs_without_scrolling(
    page, live_server, login, meeting, facilitator, key
):
    if key == "zones":
        svc.meeting_go(course=meeting, by=facilitator, step="back")
    if key == "surprise_roundup":
        go_to(meeting, facilitator, "surprise_groups")
        svc.groups_form(course=meeting, by=facilitator, kind="surprises")
    go_to(meeting, facilitator, key)
    login(page, "frida")
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/forloeb/{meeting.pk}/moede/")
    for selector in ESSENTIALS:
        box = page.locator(selector).first.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= LAPTOP["height"], f"{key}: {selector} at {box}"
    task = page.locator("#opgave")
    expect(task.get_by_role("button").first).to_be_visible()


def test_a_control_press_swaps_only_the_live_region(page, live_server, login, meeting):
    login(page, "frida")
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/forloeb/{meeting.pk}/moede/")
    page.evaluate(
        "window.pageMark = 1; document.querySelector('#live').dataset.mark = 'old';"
        " document.querySelector('#skriv').dataset.mark = 'kept'"
    )
    with page.expect_response(lambda r: r.url.endswith("/moede/styr/") and r.request.method == "POST") as answer:
        page.keyboard.press("n")
    body = answer.value.text()
    assert answer.value.status == 200 and body.lstrip().startswith('<div id="live"') and "<html" not in body
    expect(page.locator("#nu h3")).to_have_text("Gennemgå de negative virkninger")
    assert page.evaluate("window.pageMark") == 1, "the page was reloaded"
    assert page.evaluate("document.querySelector('#skriv').dataset.mark") == "kept"
    assert page.evaluate("document.querySelector('#live').dataset.mark") is None
    # The shortcut keeps working with focus on the button a press left it on.
    page.get_by_role("button", name="Næste kort").click()
    expect(page.get_by_text("Læses op (2 af 11)")).to_be_visible()
    page.keyboard.press("n")
    expect(page.locator("#nu h3")).to_have_text("Gennemgå de positive virkninger")


def test_a_written_card_answers_with_its_form_and_the_live_region_follows(page, live_server, login, meeting):
    login(page, "frida")
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/forloeb/{meeting.pk}/moede/")
    page.evaluate("window.pageMark = 1")
    page.keyboard.press("s")
    page.get_by_label("Kort (højst 280 tegn)").fill("Knappen er svær at finde")
    page.get_by_label("Zone").select_option("negative")
    page.get_by_role("button", name="Tilføj kort").click()
    expect(page.get_by_role("status").filter(has_text="Kortet er tilføjet.")).to_be_visible()
    expect(page.get_by_label("Kort (højst 280 tegn)")).to_have_value("")
    expect(page.get_by_label("Zone")).to_have_value("negative")
    expect(page.locator("#opgave h2")).to_have_text("12 kort")
    assert page.evaluate("window.pageMark") == 1


def test_the_dashboard_works_without_javascript(browser, live_server, meeting):
    context = browser.new_context(java_script_enabled=False, viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Brugernavn").fill("frida")
    page.get_by_label("Adgangskode").fill("pw-for-tests-only")
    page.get_by_role("button", name="Log ind").click()
    page.goto(f"{live_server.url}/forloeb/{meeting.pk}/moede/")
    page.get_by_role("button", name="Næste trin").click()
    page.wait_for_url(f"**/forloeb/{meeting.pk}/moede/#styring")
    expect(page.locator("#nu h3")).to_have_text("Gennemgå de negative virkninger")
    context.close()
