"""The facilitator adjusts a course's questions and prompts in Chromium, at laptop and phone size."""

import pytest
from playwright.sync_api import expect

from .conftest import LAPTOP, SMALLEST, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_facilitator_rewords_a_question(page, live_server, visit, login, axe, course, facilitator):
    page.set_viewport_size(LAPTOP)
    login(page, facilitator.username)
    visit(page, f"{live_server.url}/forloeb/{course.pk}/")
    page.get_by_role("link", name="Spørgsmål og stikord").click()
    expect(page.get_by_role("heading", name="Spørgsmål og stikord", exact=True)).to_be_visible()
    assert_accessible(axe, page)
    question = page.get_by_label("Spørgsmål 1")
    question.fill("Hvad gjorde {touchpoint} let for dig i dag?")
    page.get_by_role("button", name="Gem teksterne").click()
    expect(page.get_by_text("Spørgsmål og stikord er gemt for dette forløb.")).to_be_visible()
    expect(page.get_by_label("Spørgsmål 1")).to_have_value("Hvad gjorde {touchpoint} let for dig i dag?")
    page.get_by_text("Skabelonens tekst").first.click()
    assert_accessible(axe, page)
    page.set_viewport_size(SMALLEST)
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALLEST["width"]
    page.screenshot(path="/tmp/course-texts-320.png", full_page=True)
