"""A render that takes longer than BORGERBLIK_PRINT_WAIT_SECONDS goes on in the background: the request answers
at once with a page that polls, so no worker waits into its timeout, and the poll opens the PDF once it is ready."""

import threading
import time

import pytest
from django.urls import reverse

from borgerblik import pdf as print_pdf

# The render thread stores its PDF in the cache with a connection of its own: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slow_render(monkeypatch, settings):
    """Renders that wait for `release` (or fail when told to), counted."""
    settings.BORGERBLIK_PRINT_WAIT_SECONDS = 1
    release = threading.Event()
    state = {"calls": 0, "fail": False}

    def render(html, opener=None):
        state["calls"] += 1
        release.wait(10)
        if state["fail"]:
            raise RuntimeError("layout failed")
        return b"%PDF-1.7 rendered slowly"

    monkeypatch.setattr(print_pdf, "pdf_from_html", render)
    state["release"] = release
    yield state
    release.set()
    drained()


def drained() -> None:
    """Wait until the render thread has finished what it was given (one thread: a task queued after it runs last)."""
    print_pdf.RENDERS.submit(lambda: None).result(timeout=10)


def test_a_long_render_answers_at_once_with_a_page_that_polls_until_the_pdf_is_ready(
    slow_render, course, facilitator_client, leader_client
):
    url = reverse("dialogue:printable", args=[course.pk, "m1"])
    started = time.monotonic()
    first = facilitator_client.get(url)
    assert time.monotonic() - started < 5  # the wait (1 s) and the page, not the render
    assert first.status_code == 202 and first["X-Print-Cache"] == "rendering"
    page = first.content.decode()
    assert "Dokumentet bliver lavet" in page and 'role="status"' in page
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 2s"' in page

    # Meanwhile a poll, and another member asking, wait for the same render instead of starting their own.
    poll = facilitator_client.get(url, HTTP_HX_REQUEST="true")
    assert poll.status_code == 202 and "HX-Redirect" not in poll and "Dokumentet bliver lavet" in poll.content.decode()
    assert leader_client.get(url).status_code == 202
    assert slow_render["calls"] == 1

    slow_render["release"].set()
    drained()
    ready = facilitator_client.get(url, HTTP_HX_REQUEST="true")
    assert ready.status_code == 200 and ready["HX-Redirect"] == url
    document = facilitator_client.get(url)
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    assert document.content == b"%PDF-1.7 rendered slowly" and document["X-Print-Cache"] == "hit"
    assert slow_render["calls"] == 1


def test_a_failed_background_render_says_so_and_stops_the_polling(slow_render, course, facilitator_client):
    url = reverse("dialogue:printable", args=[course.pk, "m3"])
    slow_render["fail"] = True
    assert facilitator_client.get(url).status_code == 202
    slow_render["release"].set()
    drained()
    poll = facilitator_client.get(url, HTTP_HX_REQUEST="true")
    assert poll.status_code == 286  # htmx stops polling
    assert "kunne ikke laves" in poll.content.decode()
    slow_render["fail"] = False
    again = facilitator_client.get(url)  # asking again renders again
    assert again.status_code == 200 and again.content == b"%PDF-1.7 rendered slowly"


def test_a_render_within_the_wait_is_answered_with_the_pdf_itself(course, facilitator_client):
    response = facilitator_client.get(reverse("dialogue:printable", args=[course.pk, "m3"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["X-Print-Cache"] == "miss"


def test_pdf_links_open_in_the_browser_so_the_waiting_page_can_show(course, facilitator_client):
    """A `download` link would save the waiting page as the PDF's file."""
    page = facilitator_client.get(reverse("dialogue:course", args=[course.pk])).content.decode()
    assert reverse("dialogue:printable", args=[course.pk, "m1"]) in page
    assert 'pdf" download' not in page
