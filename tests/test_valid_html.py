"""Every page is valid HTML: the Nu Html Checker (vnu) reads what facilitators, leaders, phones and
projectors get.

The demo data is loaded; every page reachable from the start page is fetched as facilitator and as
leader, every page reachable from a phone's start page as a participant, the presenter screens, the
kick-off in each phase, the meeting at every step of its agenda (dashboard, projector, two phones), a
few forms answered with errors, and the htmx partials (each wrapped in a minimal document). The pages
are written to a temporary folder and checked in one run of vnu (one JVM start, a few seconds).

vnu.jar comes from the npm package `vnu-jar`, which `make test` installs into .venv/vnu (with a JRE
from apt when `java` is missing). Outside CI the test is skipped when java or vnu.jar is missing; in CI
(`CI` set) it fails instead.
"""

import json
import os
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from sessions.meeting import meeting_of
from sessions.models import Course, CoursePhase, Participant, Zone

from .phones import phone_for
from .test_links import Links

pytestmark = pytest.mark.django_db

VNU_JAR = Path(
    os.environ.get("VNU_JAR", django_settings.BASE_DIR / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
)

# What the checker may say without it being an error of ours: htmx's own attributes, which htmx reads
# as written (`data-hx-*` would validate, but htmx's documentation and every template here use `hx-`).
# Only htmx 2's attribute names pass, so a misspelt one (`hx-tigger`) is still an error. The project's
# own attributes are `data-*` (data-etag-poll, data-hold-while-used, …), which HTML allows: no filter.
HTMX_ATTRIBUTES = (
    "boost|confirm|delete|disable|disabled-elt|disinherit|encoding|ext|get|headers|history|history-elt|include"
    "|indicator|inherit|params|patch|post|preserve|prompt|push-url|put|replace-url|request|select|select-oob"
    "|swap|swap-oob|sync|target|trigger|validate|vals|on(?::|-)[a-z:.-]+"
)
ALLOWED = [re.compile(rf"^Attribute “hx-(?:{HTMX_ATTRIBUTES})” not allowed on element “[a-z0-9]+” at this point\.$")]

HTMX = {"HTTP_HX_REQUEST": "true"}
HX_GET = re.compile(r'hx-get="([^"]+)"')
PARTIAL = (
    '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>htmx partial</title></head><body>'
    "{}</body></html>"
)


def skipped(path: str) -> bool:
    """Downloads, photo files and the admin are no HTML pages of ours."""
    return (
        path.endswith((".pdf", ".csv", ".ics"))
        or path.startswith(("/admin/", "/static/", "/media/"))
        or re.search(r"/fotos/\d+/", path) is not None
    )


class Pages:
    """The HTML answers collected, each under the URL (and the role) that produced it."""

    def __init__(self):
        self.pages: list[tuple[str, str]] = []
        self.polled: set[tuple[str, str]] = set()

    def add(self, label: str, response, *, partial: bool = False, statuses=(200,)) -> str:
        assert response.status_code in statuses, f"{label} answered {response.status_code}"
        assert "text/html" in response.get("Content-Type", ""), label
        html = response.content.decode()
        self.pages.append((label, PARTIAL.format(html) if partial else html))
        return html

    def get(self, who: str, client: Client, url: str, note: str = "", statuses=(200,)) -> str:
        """A whole page, then once per role each part of it that htmx fetches again (`hx-get`)."""
        html = self.add(f"{who} {url} {note}".strip(), client.get(url), statuses=statuses)
        for polled in sorted(set(HX_GET.findall(html))):
            polled = polled.replace("&amp;", "&")
            if (who, urlparse(polled).path) not in self.polled:
                self.polled.add((who, urlparse(polled).path))
                self.add(f"{who} {polled} (htmx, {note or url})", client.get(polled, **HTMX), partial=True)
        return html

    def crawl(self, client: Client, who: str, start: str, note: str = "", within: str = "/", limit=300) -> list[str]:
        """Every page linked from `start` whose path begins with `within`."""
        seen, queue = [], [start]
        while queue and len(seen) < limit:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.append(url)
            response = client.get(url)
            assert response.status_code < 400, f"{who} {url} answered {response.status_code}"
            if response.status_code in (301, 302):
                queue.append(response["Location"])
                continue
            if "text/html" not in response.get("Content-Type", ""):
                continue
            html = self.get(who, client, url, note)
            parser = Links()
            parser.feed(html)
            for href in parser.hrefs:
                href = urldefrag(href)[0]
                parsed = urlparse(href)
                if parsed.scheme or parsed.netloc or not href.startswith(within) or skipped(parsed.path):
                    continue
                if href not in seen:
                    queue.append(href)
        return seen


def vnu(folder: Path) -> list[dict]:
    """Run the checker once on every file in the folder; its JSON report's messages."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--exit-zero-always", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr or result.stdout
    return json.loads(result.stderr or result.stdout)["messages"]


def checker_or_skip():
    missing = [what for what, there in (("java", shutil.which("java")), (str(VNU_JAR), VNU_JAR.is_file())) if not there]
    if missing:
        message = f"The Nu Html Checker needs {' and '.join(missing)}: `make test` installs them."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def user_client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def collect(pages: Pages) -> None:
    call_command("loaddemo", force=True)
    followup = Course.objects.get(title__startswith="Online tidsbestilling")
    preparation = Course.objects.get(title__startswith="SMS-påmindelser")
    facilitator, leader = user_client("facilitator"), user_client("leder")

    # Everything linked, for each role.
    seen = pages.crawl(facilitator, "facilitator", "/")
    assert len([url for url in seen if url.startswith(f"/forloeb/{followup.pk}/")]) >= 12, seen
    pages.crawl(leader, "leader", "/")
    negative = Participant.objects.filter(course=followup, zone=Zone.NEGATIVE, user=None).order_by("pk").first()
    positive = Participant.objects.filter(course=followup, zone=Zone.POSITIVE, user=None).order_by("pk").first()
    phone, phone2 = phone_for(negative), phone_for(positive)
    assert len(pages.crawl(phone, "phone", f"/deltager/{followup.pk}/")) >= 3

    # Pages without an account, and pages that say no.
    anonymous = Client()
    for url in ("/accounts/login/", "/deltag/", f"/j/{preparation.join_code}/", "/tilgaengelighed/"):
        pages.get("anonymous", anonymous, url)
    pages.add("anonymous wrong join code", anonymous.post("/deltag/", {"code": "ZZZZZZ"}), statuses=(200, 404))
    pages.get("anonymous", anonymous, "/findes-ikke/", statuses=(404,))
    pages.get("facilitator", facilitator, "/forloeb/999999/", statuses=(404,))
    pages.get("leader", leader, f"/forloeb/{preparation.pk}/opstart/", statuses=(403,))

    # The phone's sheets, read-only after the meeting.
    pages.crawl(phone, "phone", f"/deltager/{followup.pk}/ark/", within=f"/deltager/{followup.pk}/")

    # Every phase before the meeting: the course, the kick-off and its projector, a phone of its own
    # with its sheets, and the facilitator's own example sheet.
    newcomer = Participant.objects.create(course=preparation, display_name="Nora Ny")
    newphone = phone_for(newcomer)
    base = f"/forloeb/{preparation.pk}"
    for phase in (CoursePhase.PREPARATION, CoursePhase.KICKOFF, CoursePhase.INTERVIEWS):
        Course.objects.filter(pk=preparation.pk).update(phase=phase)
        pages.polled.clear()
        seen = pages.crawl(facilitator, "facilitator", f"{base}/", f"({phase})", within=f"{base}/")
        assert f"{base}/skaerm/opstart/" in seen, seen
        pages.crawl(newphone, "phone", f"/deltager/{preparation.pk}/", f"({phase})", within="/deltager/")
        # A phone that still shows the step before says the course has moved on.
        stale = f"/deltager/{preparation.pk}/status/?fase=x"
        pages.add(f"phone {stale} (htmx, {phase})", newphone.get(stale, **HTMX), partial=True)
    sheet = newphone.post(f"/deltager/{preparation.pk}/ark/nyt/")
    assert sheet.status_code == 302, sheet
    pages.get("phone", newphone, sheet["Location"], "(new sheet)")
    submitted = newphone.post(sheet["Location"], {"action": "submit"})
    pages.add("phone sheet handed in empty", submitted, statuses=(200, 400))
    pages.crawl(newphone, "phone", f"/deltager/{preparation.pk}/ark/", "(one sheet)", within="/deltager/")
    example = facilitator.post(f"{base}/eget-eksempel/")
    assert example.status_code == 302, example
    pages.get("facilitator", facilitator, example["Location"], "(own example)")
    # A vote without a choice and an empty proposal come back with their messages.
    pages.add("phone empty vote", newphone.post(f"/deltager/{preparation.pk}/stem/", {}), statuses=(400,))
    pages.add("phone empty proposal", newphone.post(f"/deltager/{preparation.pk}/forslag/", {}), statuses=(400,))
    pages.add("facilitator empty new course", facilitator.post("/forloeb/nyt/", {}), statuses=(200, 400))

    # The meeting at every step of its agenda: the dashboard, the projector and two phones.
    base = f"/forloeb/{followup.pk}"
    control = f"{base}/moede/styr/"
    facilitator.post(control, {"action": "reopen"})
    while facilitator.post(control, {"action": "back"}).status_code == 302:
        pass
    for step in range(1, 40):
        note = f"(meeting step {step})"
        pages.polled.clear()
        pages.get("facilitator", facilitator, f"{base}/moede/", note)
        pages.get("facilitator", facilitator, f"{base}/skaerm/moede/", note)
        pages.get("leader", leader, f"{base}/skaerm/moede/", note)
        pages.get("negative phone", phone, f"/deltager/{followup.pk}/moede/", note)
        pages.get("positive phone", phone2, f"/deltager/{followup.pk}/moede/", note)
        key = meeting_of(followup).activity.key
        if key == "card_round":
            # A phone's card refused and sent, as htmx swaps the form.
            url = f"/deltager/{followup.pk}/moede/kort/"
            pages.add("phone empty card (htmx)", phone.post(url, {"text": ""}, **HTMX), partial=True, statuses=(400,))
            sent = phone.post(url, {"text": "Et kort", "zone": Zone.NEGATIVE, "client_key": uuid.uuid4()}, **HTMX)
            pages.add("phone card sent (htmx)", sent, partial=True)
        if key == "methods":
            url = f"/deltager/{followup.pk}/moede/forslag/"
            pages.add(
                "phone empty proposal (htmx)", phone.post(url, {"text": ""}, **HTMX), partial=True, statuses=(400,)
            )
            sent = phone.post(url, {"text": "Et forslag", "client_key": uuid.uuid4()}, **HTMX)
            pages.add("phone proposal sent (htmx)", sent, partial=True)
            empty = facilitator.post(control, {"action": "proposal_add", "text": ""})
            pages.add("facilitator empty proposal", empty, statuses=(400,))
        if facilitator.post(control, {"action": "next"}).status_code != 302:
            break
    assert step >= 8, "the meeting has fewer steps than the template"
    assert {"phone card sent (htmx)", "phone proposal sent (htmx)"} <= {label for label, _html in pages.pages}
    empty = facilitator.post(control, {"action": "card_add", "text": "", "zone": ""})
    pages.add("facilitator empty card", empty, statuses=(400,))
    facilitator.post(control, {"action": "end"})
    pages.polled.clear()
    for who, client, url in [
        ("facilitator", facilitator, f"{base}/moede/"),
        ("facilitator", facilitator, f"{base}/skaerm/moede/"),
        ("phone", phone, f"/deltager/{followup.pk}/moede/"),
    ]:
        pages.get(who, client, url, "(ended)")


def test_every_page_is_valid_html(tmp_path):
    checker_or_skip()
    pages = Pages()
    collect(pages)
    labels = {}
    for number, (label, html) in enumerate(pages.pages, start=1):
        path = tmp_path / f"{number:04d}.html"
        path.write_text(html, encoding="utf-8")
        labels[path.name] = label
    started = time.monotonic()
    messages = vnu(tmp_path)
    seconds = time.monotonic() - started
    errors = [
        m
        for m in messages
        if m.get("type") in ("error", "non-document-error") and not any(p.match(m.get("message", "")) for p in ALLOWED)
    ]
    report = "\n".join(
        f"{labels.get(Path(urlparse(m.get('url', '')).path).name, m.get('url'))}, line {m.get('lastLine')}: "
        f"{m.get('message')}\n    {(m.get('extract') or '').strip()}"
        for m in errors
    )
    assert not errors, f"vnu found {len(errors)} errors in {len(pages.pages)} pages ({seconds:.1f} s):\n{report}"
    assert len(pages.pages) >= 100
