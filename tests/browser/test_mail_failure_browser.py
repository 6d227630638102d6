"""A phone joins with its e-mail address while the mail server is down: it is in, and sees its link."""

import pytest

from .conftest import SMALLEST, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_phone_joins_and_shows_the_link_it_could_not_mail(page, live_server, course, axe, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.DownBackend"
    page.set_viewport_size(SMALLEST)
    page.goto(f"{live_server.url}/j/{course.join_code}/")
    page.get_by_label("E-mail").fill("mia@kommune.dk")
    page.get_by_role("button", name="Deltag").click()
    page.wait_for_url(f"{live_server.url}/deltager/{course.pk}/")
    participant = course.participants.get()
    message = page.locator(".message--warning")
    assert "Vi kunne ikke sende linket til din e-mail" in message.inner_text()
    assert f"/deltager/retur/{participant.token}/" in message.inner_text()
    assert_accessible(axe, page)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
