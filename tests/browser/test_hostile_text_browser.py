"""Text typed by anyone (a phone, a facilitator, a leader) is only ever text: in Chromium on every page
reachable from the start page, in the PDFs those pages link, and in the e-mails.

The demo data is loaded, then every free-text field of a course and everything in it is overwritten
with markup that would act if it were printed unescaped: an element marked `data-xss`, and the stored
XSS a hostile tester found (a card that closes the e-mail preview's <textarea> and makes htmx post a
new follow-up point with the leader's CSRF header when the page loads).
"""

import io
import uuid
from urllib.parse import urldefrag, urlparse

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.test import Client
from pypdf import PdfReader

from interviews.models import ReflectionSheet, SheetStatus
from sessions.models import Course, Decision, Participant

from ..phones import join_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHORT = "</textarea></pre><b data-xss>X</b>"
# Closes a <textarea> or <pre>; htmx would post a new "stop" point as soon as it is on the page.
LONG = (
    "</textarea></pre><p data-xss hx-post='/forloeb/{course}/opfoelgning/punkt/' "
    'hx-vals=\'{{"kind":"stop","text":"XSS"}}\' hx-trigger=load hx-swap=none>X</p>'
    "<img src=x data-xss onerror=alert(1)>"
)
# Fields that are keys, codes, addresses or choices, not text a person reads.
NOT_TEXT = {"token", "join_code", "key", "slug", "email", "source", "client_key", "code", "language", "password"}


def hostile(field: models.Field, course: Course, row=None) -> str:
    """The longest markup that fits the field, numbered by row so unique names stay unique."""
    suffix = f" {row.pk}" if row is not None else ""
    long = LONG.format(course=course.pk) + suffix
    return long if (field.max_length or 10_000) >= len(long) else SHORT + suffix


def text_fields(model):
    for field in model._meta.get_fields():
        if (
            isinstance(field, models.CharField | models.TextField)
            and not isinstance(field, models.EmailField | models.SlugField)
            and not field.choices
            and not field.unique
            and field.name not in NOT_TEXT
        ):
            yield field


def fill_with_markup(course: Course) -> int:
    """Overwrite every free-text field of the course and of every row that belongs to it."""
    changed = 0
    workplace = course.workplace
    for field in text_fields(type(workplace)):
        setattr(workplace, field.name, hostile(field, course))
    workplace.save()
    for model in [*apps.get_app_config("dialogue").get_models(), *apps.get_app_config("interviews").get_models()]:
        if model is Course:
            rows = Course.objects.filter(pk=course.pk)
        elif any(f.name == "course" for f in model._meta.get_fields()):
            rows = model.objects.filter(course=course)
        elif any(f.name == "workplace" for f in model._meta.get_fields()):
            rows = model.objects.filter(workplace=workplace)
        else:
            continue
        fields = list(text_fields(model))
        for row in rows:
            for field in fields:
                setattr(row, field.name, hostile(field, course, row))
                changed += 1
            if fields:
                row.save(update_fields=[f.name for f in fields])
    for group_model in ("Surprise",):
        model = apps.get_model("dialogue", group_model)
        changed += model.objects.filter(group__course=course).update(text=SHORT)
    for sheet in ReflectionSheet.objects.filter(participant__course=course):
        sheet.answers = {
            key: [SHORT, LONG.format(course=course.pk)] if isinstance(value, list) else LONG.format(course=course.pk)
            for key, value in sheet.answers.items()
        }
        sheet.save(update_fields=["answers"])
        changed += 1
    return changed


def same_site_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    links = []
    for href in hrefs:
        href = urldefrag(href)[0]
        parsed = urlparse(href)
        if not parsed.scheme and not parsed.netloc and href.startswith("/") and not href.startswith("/admin/"):
            links.append(href)
    return links


def crawl(page, base: str, start: str, limit: int = 120) -> tuple[list[str], list[str]]:
    """Visit every page reachable from `start`; return the HTML pages seen and the PDFs linked."""
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    seen, pdfs, queue = [], set(), [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or url in pdfs:
            continue
        path = urlparse(url).path
        if path.endswith(".pdf"):
            pdfs.add(url)
            continue
        if path.endswith((".csv", ".ics")) or "/fotos/" in path and path.rstrip("/").split("/")[-1].isdecimal():
            continue
        response = page.goto(base + url)
        seen.append(url)
        assert response is not None and response.status < 400, f"{url} answered {response and response.status}"
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        page.wait_for_timeout(150)  # htmx processes the page on load; give a hostile hx-trigger=load its chance
        planted = page.locator("[data-xss]").count()
        assert planted == 0, f"{url} runs typed text as markup ({planted} elements)"
        queue.extend(link for link in same_site_links(page) if link not in seen)
    assert alerts == []
    return seen, sorted(pdfs)


def pdf_text(page, base, url) -> str:
    response = page.request.get(base + url)
    assert response.status == 200, url
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


@pytest.fixture
def hostile_course(tool):
    call_command("loaddemo", force=True)
    course = Course.objects.get(title__startswith="Online tidsbestilling")
    # The sheets' fields print in the filled M2 only when handed in.
    ReflectionSheet.objects.filter(participant__course=course).update(status=SheetStatus.SUBMITTED)
    assert fill_with_markup(course) > 20
    return course


@pytest.mark.parametrize("username", ["facilitator", "leder"])
def test_typed_markup_never_acts_on_a_page_or_in_a_pdf(page, live_server, settings, hostile_course, username):
    decisions = Decision.objects.count()
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])

    seen, pdfs = crawl(page, live_server.url, "/")
    course_pages = [url for url in seen if url.startswith(f"/forloeb/{hostile_course.pk}/")]
    assert len(course_pages) >= (12 if username == "facilitator" else 6), seen
    assert Decision.objects.count() == decisions, "a page made the browser post a follow-up point"

    # The e-mail previews show the markup as text.
    page.goto(f"{live_server.url}/forloeb/{hostile_course.pk}/opfoelgning/")
    assert "<b data-xss>X</b>" in page.locator("#thanks-text").input_value()

    # PDFs print the markup as text: the tags are still there, so nothing was parsed as HTML.
    texts = {url: pdf_text(page, live_server.url, url).replace("\n", "") for url in pdfs}
    showing = [url for url, text in texts.items() if "<b data-xss>X</b>" in text or "<p data-xss" in text]
    assert any(url.endswith("/opsamling.pdf") for url in showing), texts.keys()
    assert len(showing) >= 3, showing


def test_typed_markup_never_acts_on_a_phone(page, live_server, hostile_course):
    participant = Participant.objects.filter(course=hostile_course).first()
    join_as(page, live_server, participant)
    seen, _ = crawl(page, live_server.url, f"/deltager/{hostile_course.pk}/")
    page.goto(f"{live_server.url}/deltager/{hostile_course.pk}/moede/")
    assert page.locator("[data-xss]").count() == 0
    assert len(seen) >= 2


def test_e_mails_carry_typed_text_verbatim_as_plain_text(hostile_course):
    """Plain-text mail is not HTML: the words arrive as typed, neither escaped nor as an HTML part."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="facilitator"))
    Participant.objects.filter(course=hostile_course).update(email="deltager@example.dk")
    for url in ("invitation/send/", "interviewperiode/paamind/", "opfoelgning/tak/"):
        client.post(f"/forloeb/{hostile_course.pk}/{url}", {"client_key": uuid.uuid4()})
    assert mail.outbox, "no mail was sent"
    for message in mail.outbox:
        assert not getattr(message, "alternatives", None)
        assert "&lt;" not in message.body
    assert any("<b data-xss>X</b>" in message.body for message in mail.outbox)
