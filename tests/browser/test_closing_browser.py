"""Issue 11 in Chromium: closing a course after its confirmation, a phone deleting its own sheet and card, and
the page that waits for a long PDF render and opens it when ready. Every page is scanned by `visit()`."""

import re
import threading

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from borgerblik import pdf as print_pdf
from interviews.models import ReflectionSheet, SheetStatus
from sessions.models import Card, CoursePhase, Meeting, Participant, Zone

from ..phones import join_as
from .conftest import LAPTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_leader_closes_the_course_after_reading_what_it_means_and_reopens_it(
    page, live_server, visit, login, course, leader, size, settings
):
    settings.BORGERBLIK_RETENTION_DAYS = 30
    course.phase = CoursePhase.FOLLOWUP
    course.save()
    Meeting.objects.create(course=course, started_at=timezone.now(), ended_at=timezone.now())
    page.set_viewport_size(size)
    login(page, "lars")
    visit(page, f"{live_server.url}/forloeb/{course.pk}/")
    page.get_by_role("link", name="Afslut forløbet …").click()
    visit(page, page.url)
    expect(page.get_by_text("kan der ikke længere skrives eller ændres noget")).to_be_visible()
    expect(page.get_by_text("30 dage efter")).to_be_visible()
    page.get_by_role("button", name="Afslut forløbet").click()
    page.wait_for_url(f"{live_server.url}/forloeb/{course.pk}/")
    purge = timezone.localtime() + timezone.timedelta(days=30)
    expect(page.get_by_role("heading", name="Forløbet er afsluttet")).to_be_visible()
    expect(page.get_by_text(f"Forløbet slettes den {purge.day}.", exact=False)).to_be_visible()
    visit(page, page.url)
    page.get_by_role("button", name="Genåbn forløbet").click()
    expect(page.get_by_text("Forløbet er genåbnet.")).to_be_visible()
    course.refresh_from_db()
    assert course.phase == CoursePhase.FOLLOWUP and course.closed_at is None


def test_a_phone_deletes_its_own_sheet_and_card_after_confirming(page, live_server, visit, course):
    course.phase = CoursePhase.FOLLOWUP
    course.save()
    me = Participant.objects.create(course=course, display_name="Mette", zone=Zone.POSITIVE)
    ReflectionSheet.objects.create(participant=me, status=SheetStatus.SUBMITTED, answers={"context": "Booket"})
    Card.objects.create(course=course, author=me, zone=Zone.POSITIVE, text="Nemt at booke")
    page.set_viewport_size(PHONE)
    join_as(page, live_server, me)

    visit(page, f"{live_server.url}/deltager/{course.pk}/")
    page.get_by_role("link", name="Mine refleksionsark").click()
    visit(page, page.url)
    page.get_by_role("link", name="Slet ark 1").click()
    visit(page, page.url)
    page.get_by_role("button", name="Slet arket").click()
    expect(page.get_by_text("Arket er slettet.")).to_be_visible()
    assert not me.sheets.exists()

    visit(page, f"{live_server.url}/deltager/{course.pk}/mine-kort/")
    page.get_by_role("link", name=re.compile(r"^Slet\s*:\s*Nemt at booke$")).click()
    visit(page, page.url)
    page.get_by_role("button", name="Slet kortet").click()
    expect(page.get_by_text("Du har ikke sendt nogen kort.")).to_be_visible()
    assert not Card.objects.filter(author=me).exists()


def test_a_long_render_shows_a_page_that_opens_the_pdf_when_it_is_ready(
    page, live_server, visit, login, course, facilitator, monkeypatch, settings
):
    settings.BORGERBLIK_PRINT_WAIT_SECONDS = 0
    release = threading.Event()
    real = print_pdf.pdf_from_html

    def slow(html, opener=None):
        release.wait(20)
        return real(html, opener)

    monkeypatch.setattr(print_pdf, "pdf_from_html", slow)
    login(page, "frida")
    url = f"{live_server.url}/forloeb/{course.pk}/print/m3.pdf"
    visit(page, url)
    expect(page.get_by_role("status")).to_contain_text("Dokumentet bliver lavet")
    with page.expect_response(
        lambda r: r.url == url and r.status == 200 and r.headers.get("content-type") == "application/pdf",
        timeout=20_000,
    ):
        release.set()
    print_pdf.RENDERS.submit(lambda: None).result(timeout=20)
