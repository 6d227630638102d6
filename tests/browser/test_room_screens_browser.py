"""The screens a room reads: type sized for the back of the room, the whole screen used, no site chrome."""

import pytest

from sessions import meeting as svc
from sessions.models import Card, Participant, Proposal, Vote

from .layout import PROJECTOR
from .meeting_room import demo_meeting, go_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(course, facilitator):
    return demo_meeting(course, facilitator)


def font_px(page, selector: str) -> float:
    return page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")


def fits_the_screen(page) -> None:
    height = page.viewport_size["height"]
    assert page.evaluate("document.documentElement.scrollHeight") <= height, "the projector screen scrolls"
    assert page.locator("footer").count() == 0 and page.locator("header.site-header").count() == 0


def test_the_meeting_projector_is_readable_from_the_back_of_the_room(
    page, live_server, login, visit, meeting, facilitator
):
    login(page, "frida")
    page.set_viewport_size(PROJECTOR)
    url = f"{live_server.url}/forloeb/{meeting.pk}/skaerm/moede/"
    visit(page, url)
    assert font_px(page, ".meeting-presenter__card") >= 36, "cards"
    assert font_px(page, ".meeting-presenter__zone-heading") >= 34, "zone headings"
    assert font_px(page, ".meeting-presenter__title") >= 56
    assert font_px(page, ".countdown__clock") >= 100
    fits_the_screen(page)

    svc.meeting_go(course=meeting, by=facilitator, step="next")  # read the negatives aloud
    visit(page, url)
    assert font_px(page, ".read-card__text") >= 80
    fits_the_screen(page)

    go_to(meeting, facilitator, "methods")
    visit(page, url)
    assert font_px(page, ".meeting-presenter__proposals li") >= 48, "proposals"
    fits_the_screen(page)


def test_many_cards_get_smaller_type_and_still_fit(page, live_server, login, visit, meeting):
    for i in range(14):
        Card.objects.create(course=meeting, zone="negative", text=f"Endnu en negativ virkning nummer {i}")
    login(page, "frida")
    page.set_viewport_size(PROJECTOR)
    visit(page, f"{live_server.url}/forloeb/{meeting.pk}/skaerm/moede/")
    assert 24 <= font_px(page, ".meeting-presenter__card") < 36
    fits_the_screen(page)


def test_the_kickoff_projector_shows_big_counts_and_clock(page, live_server, login, visit, course, touchpoints):
    for i, touchpoint in enumerate([0, 0, 1, 2, 2]):
        person = Participant.objects.create(course=course, display_name=f"Deltager {i}")
        Vote.objects.create(course=course, participant=person, touchpoint=touchpoints[touchpoint])
    Proposal.objects.create(course=course, name="Chatbot på hjemmesiden")
    login(page, "frida")
    page.set_viewport_size(PROJECTOR)
    visit(page, f"{live_server.url}/forloeb/{course.pk}/skaerm/opstart/")
    assert font_px(page, ".vote-bars__count") >= 32, "kick-off counts"
    assert font_px(page, ".vote-bars__name") >= 32
    assert font_px(page, ".countdown__clock") >= 100
    fits_the_screen(page)
