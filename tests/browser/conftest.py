"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Every page a test visits is scanned with axe-core (WCAG 2.1 A and AA) and checked for layout faults
(layout.py: squeezed text, sideways overflow, overlapping panels at phone, laptop and projector sizes)
through `visit()`.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .layout import assert_laid_out

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", shutil.which("chromium") or "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
SMALLEST = {"width": 320, "height": 640}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = pytest.mark.browser

# CI machines have two cores shared by Chromium, the live server and several phone contexts: give a
# round trip more than Playwright's default 5 s before calling it lost. Tests that measure speed
# assert their own, tighter limits.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def live_server_closes_its_connections():
    """The live server answers phones that still poll after a test has ended; with connections kept
    between requests (production's CONN_MAX_AGE) it would touch the database outside the test."""
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    kept, settings_dict["CONN_MAX_AGE"] = settings_dict["CONN_MAX_AGE"], 0
    yield
    settings_dict["CONN_MAX_AGE"] = kept


@pytest.fixture(scope="session")
def axe():
    return Axe()


def assert_accessible(axe, page):
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    assert not violations, f"axe found violations on {page.url}:\n{results.generate_report()}"


@pytest.fixture
def visit(axe):
    """Open a URL, check it answered without error, scan it with axe-core and check its layout."""

    def go(page, url):
        response = page.goto(url)
        assert response is not None and response.status < 400, f"{url} answered {response and response.status}"
        assert_accessible(axe, page)
        assert_laid_out(page)
        return response

    return go


@pytest.fixture
def login(live_server):
    def do(page, username, password="pw-for-tests-only"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Brugernavn").fill(username)
        page.get_by_label("Adgangskode").fill(password)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_url(f"{live_server.url}/")

    return do
