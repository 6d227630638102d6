"""The lockout page after too many wrong passwords: Danish, accessible, fits a phone."""

import pytest
from django.conf import settings

from .conftest import PHONE, SMALLEST, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [PHONE, SMALLEST], ids=["phone", "320px"])
def test_the_lockout_page_says_why_and_how_long_and_is_accessible(page, live_server, facilitator, axe, size):
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Brugernavn").fill("frida")
        page.get_by_label("Adgangskode").fill("forkert")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Log ind").click()
    assert navigation.value.status == 429
    assert page.get_by_role("heading", level=1, name="For mange forsøg på at logge ind").is_visible()
    assert "Vent 15 minutter, og prøv igen." in page.get_by_role("alert").inner_text()
    assert_accessible(axe, page)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.get_by_role("link", name="Tilbage til log ind").click()
    assert page.get_by_label("Brugernavn").is_visible()
