import pytest

from .conftest import LAPTOP, PHONE, SMALLEST, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_login_page_is_accessible(page, live_server, visit, size):
    page.set_viewport_size(size)
    visit(page, f"{live_server.url}/accounts/login/")


def test_a_wrong_password_is_refused_in_danish(page, live_server, facilitator, axe):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Brugernavn").fill("frida")
    page.get_by_label("Adgangskode").fill("forkert")
    page.get_by_role("button", name="Log ind").click()
    assert page.get_by_role("alert").is_visible()
    assert "korrekt brugernavn" in page.get_by_role("alert").inner_text()
    assert_accessible(axe, page)


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_facilitator_sees_courses_and_the_agenda(page, live_server, visit, login, course, facilitator, size):
    page.set_viewport_size(size)
    login(page, "frida")
    visit(page, f"{live_server.url}/")
    page.get_by_role("link", name="Tidsbestilling").click()
    assert page.get_by_role("heading", level=1, name="Tidsbestilling").is_visible()
    assert page.get_by_role("row", name="3 Borgernes reaktioner").is_visible()
    assert_accessible_after_opening_prompts(page, visit)


def assert_accessible_after_opening_prompts(page, visit):
    page.locator("details.agenda-item summary").first.click()
    assert page.locator("blockquote.prompt").first.is_visible()
    visit(page, page.url)


def test_course_page_fits_320_px(page, live_server, login, course, facilitator):
    page.set_viewport_size(SMALLEST)
    login(page, "frida")
    page.goto(f"{live_server.url}/forloeb/{course.pk}/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_skip_link_moves_focus_to_main(page, live_server, login, course, facilitator):
    login(page, "frida")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Spring til indholdet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_accessibility_statement_is_linked_from_the_footer(page, live_server, visit):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("contentinfo").get_by_role("link", name="Tilgængelighedserklæring").click()
    visit(page, page.url)
    assert page.get_by_role("heading", level=1, name="Tilgængelighedserklæring").is_visible()


def test_language_switch_shows_english(page, live_server, visit):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    visit(page, page.url)
