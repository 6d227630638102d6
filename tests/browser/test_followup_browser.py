"""The leader's follow-up in Chromium: sort insights by keyboard, write an own point, plan a prøvehandling."""

import pytest
from playwright.sync_api import expect

from sessions.models import Card, CoursePhase, Decision, TrialAction, Zone

from .conftest import LAPTOP, PHONE, SMALLEST, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ended(course, touchpoints):
    course.chosen_touchpoint = touchpoints[0]
    course.phase = CoursePhase.FOLLOWUP
    course.save()
    Card.objects.create(course=course, zone=Zone.NEGATIVE, text="Svære fagord på siden", starred=True)
    Card.objects.create(course=course, zone=Zone.NEGATIVE, text="Bekræftelsen havner i spam")
    Card.objects.create(course=course, zone=Zone.POSITIVE, text="Slipper for telefonkø")
    return course


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_leader_sorts_writes_and_plans(page, live_server, visit, login, axe, ended, leader, size):
    page.set_viewport_size(size)
    login(page, leader.username)
    visit(page, f"{live_server.url}/forloeb/{ended.pk}/")
    page.get_by_role("link", name="Opfølgning", exact=True).click()
    expect(page.get_by_role("heading", name="Opfølgning", exact=True)).to_be_visible()
    assert_accessible(axe, page)

    # Sort a card with the keyboard only.
    group = page.get_by_role("group", name="Sortér »Svære fagord på siden«")
    group.get_by_role("button", name="Udvikle").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("»Svære fagord på siden« står nu under Udvikle.")).to_be_visible()
    expect(page.locator(".fus-column--develop .decision-list__text")).to_have_text(["Svære fagord på siden"])
    expect(group.get_by_role("button", name="Udvikle (valgt)")).to_be_visible()
    assert Decision.objects.get().kind == "develop"

    # An own point with a CPR number is refused, the text kept; without it, it is added.
    field = page.get_by_label("Punkt", exact=True)
    field.fill("Borger 010190-1234 klagede over brevene")
    page.get_by_role("radio", name="Stoppe").check()
    page.get_by_role("button", name="Tilføj").click()
    expect(page.get_by_role("alert")).to_contain_text("CPR-nummer")
    expect(page.get_by_label("Punkt", exact=True)).to_have_value("Borger 010190-1234 klagede over brevene")
    expect(page.get_by_role("radio", name="Stoppe")).to_be_checked()
    page.get_by_label("Punkt", exact=True).fill("Lange breve med regler og bekræftelse i ét")
    page.get_by_role("button", name="Tilføj").click()
    expect(page.get_by_text("Punktet er tilføjet.")).to_be_visible()
    assert Decision.objects.get(kind="stop").text == "Lange breve med regler og bekræftelse i ét"
    visit(page, page.url.split("#")[0])
    if size == PHONE:
        page.set_viewport_size(SMALLEST)
        assert page.evaluate("document.documentElement.scrollWidth") <= SMALLEST["width"]
        page.screenshot(path="/tmp/followup-320.png", full_page=True)
        page.set_viewport_size(PHONE)
    page.screenshot(path=f"/tmp/followup-{size['width']}.png", full_page=True)

    # Turn the develop point into a prøvehandling.
    page.get_by_text("Ret eller flyt").first.click()
    page.get_by_role("link", name="Gør til prøvehandling").click()
    expect(page.get_by_label("Kort titel")).to_have_value("Svære fagord på siden")
    assert_accessible(axe, page)
    page.get_by_label("Kort titel").fill("Hverdagsord på bookingsiden")
    page.get_by_label("Prøvehandling – det gør vi").fill("To kolleger skriver de fem sværeste ord om.")
    page.get_by_role("button", name="Gem prøvehandlingen").click()
    expect(page.get_by_text("Prøvehandlingen »Hverdagsord på bookingsiden« er gemt.")).to_be_visible()
    action = TrialAction.objects.get()
    assert action.decision.text == "Svære fagord på siden"
    assert action.action == "To kolleger skriver de fem sværeste ord om."
