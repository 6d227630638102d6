"""The kick-off in the browser: five phones join by code and vote, the presenter's bars follow."""

import pytest

from sessions.models import CoursePhase, Participant, Vote

from .conftest import LAPTOP, PHONE, SMALLEST, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def join_by_code(page, base, code, name=""):
    page.goto(f"{base}/deltag/")
    page.get_by_label("Deltagerkode").fill(code.lower())
    page.get_by_role("button", name="Fortsæt").click()
    page.get_by_label("Dit navn (valgfrit)").fill(name)
    page.get_by_role("button", name="Deltag").click()
    page.wait_for_url("**/deltager/*/")


def test_five_phones_join_vote_and_the_presenter_bars_update(
    browser, page, live_server, login, axe, course, touchpoints, facilitator
):
    page.set_viewport_size(LAPTOP)
    login(page, "frida")
    page.goto(f"{live_server.url}/forloeb/{course.pk}/skaerm/opstart/")
    assert_accessible(axe, page)
    assert page.locator(".kickoff-presenter__qr svg").is_visible()
    assert page.get_by_text(course.join_code).first.is_visible()

    phones = []
    for i in range(5):
        context = browser.new_context(viewport=PHONE)
        phone = context.new_page()
        join_by_code(phone, live_server.url, course.join_code, name=f"Telefon {i}" if i % 2 else "")
        if i == 0:
            assert_accessible(axe, phone)
        choice = touchpoints[1] if i < 3 else touchpoints[2]
        phone.get_by_label(choice.name).check()
        phone.get_by_role("button", name="Stem").click()
        assert phone.get_by_text(f"Din stemme: {choice.name}").is_visible()
        phones.append((context, phone))

    bars = page.locator("#live")
    bars.get_by_text("5 stemmer").wait_for(timeout=8000)
    assert "3 stemmer" in bars.locator(".vote-bars__item", has_text=touchpoints[1].name).inner_text()
    assert "2 stemmer" in bars.locator(".vote-bars__item", has_text=touchpoints[2].name).inner_text()
    assert "5 deltagere er med" in bars.inner_text()
    assert_accessible(axe, page)

    # A phone changes its mind; the presenter follows.
    _, first = phones[0]
    first.get_by_label(touchpoints[2].name).check()
    first.get_by_role("button", name="Skift min stemme").click()
    bars.locator(".vote-bars__item", has_text=touchpoints[2].name).get_by_text("3 stemmer").wait_for(timeout=8000)
    assert Vote.objects.count() == 5
    assert Participant.objects.filter(course=course).count() == 5
    for context, _phone in phones:
        context.close()


def test_a_phone_proposes_and_the_facilitator_puts_it_on_the_list(
    browser, page, live_server, login, axe, course, touchpoints, facilitator
):
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    join_by_code(phone, live_server.url, course.join_code)
    phone.get_by_label("Dit forslag til et digitalt servicemøde").fill("Chatbot")
    phone.get_by_role("button", name="Send forslaget").click()
    assert phone.get_by_text("Tak for dit forslag").is_visible()

    page.set_viewport_size(LAPTOP)
    login(page, "frida")
    page.goto(f"{live_server.url}/forloeb/{course.pk}/opstart/")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Sæt »Chatbot« på listen").click()
    assert page.get_by_text("er sat på listen").is_visible()

    phone.reload()
    assert phone.get_by_label("Chatbot").is_visible()
    context.close()


def test_the_facilitator_confirms_and_the_phone_sees_what_to_do(
    browser, page, live_server, login, axe, course, touchpoints, facilitator
):
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    join_by_code(phone, live_server.url, course.join_code)

    page.set_viewport_size(LAPTOP)
    login(page, "frida")
    page.goto(f"{live_server.url}/forloeb/{course.pk}/opstart/")
    page.get_by_role("button", name="Start").click()
    clock = page.locator("#live .countdown__clock")
    for _ in range(50):  # the clock counts down in the browser between polls
        if clock.inner_text() < "19:59":
            break
        page.wait_for_timeout(100)
    assert clock.inner_text().startswith("19:")
    page.get_by_label("Det servicemøde, I har valgt").select_option(label=touchpoints[2].name)
    page.get_by_role("button", name="Bekræft og luk afstemningen").click()
    assert page.get_by_text("I har valgt »SMS-påmindelser«").is_visible()
    assert_accessible(axe, page)

    # The phone notices by itself (display-only poll) and offers the way on.
    phone.get_by_role("link", name="Se, hvad du skal nu").wait_for(timeout=10000)
    assert_accessible(axe, phone)
    phone.get_by_role("link", name="Se, hvad du skal nu").click()
    assert phone.get_by_text("Spørg mindst én borger om oplevelsen af SMS-påmindelser").is_visible()
    assert_accessible(axe, phone)
    context.close()


PHONE_PAGES = ["/deltag/", "/j/{code}/"]
FACILITATOR_PAGES = [
    "/",
    "/forloeb/nyt/",
    "/arbejdsplads/{workplace}/servicemoeder/",
    "/arbejdsplads/{workplace}/servicemoeder/{touchpoint}/",
    "/forloeb/{course}/ret/",
    "/forloeb/{course}/forberedelse/",
    "/forloeb/{course}/opstart/",
    "/forloeb/{course}/skaerm/opstart/",
    "/forloeb/{course}/invitation/",
    "/forloeb/{course}/interviewperiode/",
]


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_phone_pages_are_accessible(page, live_server, visit, course, touchpoints, size):
    page.set_viewport_size(size)
    for path in PHONE_PAGES:
        visit(page, live_server.url + path.format(code=course.join_code))
    page.get_by_role("button", name="Deltag").click()
    visit(page, page.url)
    page.locator("details.panel summary").click()
    assert_accessible_here(page, visit)


def assert_accessible_here(page, visit):
    visit(page, page.url)


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_facilitator_pages_are_accessible(page, live_server, visit, login, course, touchpoints, facilitator, size):
    course.meeting_place = "Mødelokale 2"
    course.save()
    page.set_viewport_size(size)
    login(page, "frida")
    for path in FACILITATOR_PAGES:
        visit(
            page,
            live_server.url
            + path.format(course=course.pk, workplace=course.workplace_id, touchpoint=touchpoints[0].pk),
        )


def test_error_messages_are_accessible(page, live_server, visit, axe, course):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/deltag/")
    page.get_by_label("Deltagerkode").fill("ZZZ")
    page.get_by_role("button", name="Fortsæt").click()
    assert page.get_by_role("alert").is_visible()
    assert_accessible(axe, page)
    page.goto(f"{live_server.url}/j/{course.join_code}/")
    page.get_by_label("Dit navn (valgfrit)").fill("<b>Mia</b>")
    page.get_by_role("button", name="Deltag").click()
    assert page.get_by_text("må ikke indeholde tegnene").first.is_visible()
    assert page.get_by_label("Dit navn (valgfrit)").input_value() == "<b>Mia</b>"
    assert_accessible(axe, page)


def test_participant_home_fits_320_px(page, live_server, course, touchpoints):
    page.set_viewport_size(SMALLEST)
    join_by_code(page, live_server.url, course.join_code)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_interviews_phase_pages_are_accessible(page, live_server, visit, login, course, touchpoints, facilitator):
    course.chosen_touchpoint = touchpoints[0]
    course.phase = CoursePhase.INTERVIEWS
    course.save()
    Participant.objects.create(course=course, display_name="Mia", email="mia@example.dk")
    page.set_viewport_size(LAPTOP)
    login(page, "frida")
    visit(page, f"{live_server.url}/forloeb/{course.pk}/opstart/")
    visit(page, f"{live_server.url}/forloeb/{course.pk}/invitation/")
    page.get_by_role("button", name="Send mailen").click()
    assert page.get_by_text("Sendt til 1 deltager.").is_visible()
    visit(page, page.url)
    visit(page, f"{live_server.url}/forloeb/{course.pk}/interviewperiode/")
