"""The join-code limit under concurrency: counted atomically in the database, in fixed windows.

The concurrent tests send real HTTP requests at the same instant to Django's threaded test server (one
thread per request, each with its own database connection), on whatever database the suite runs on
(SQLite by default, PostgreSQL with DATABASE_URL).
"""

import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.test import Client
from django.utils import timezone

from sessions import ratelimit
from sessions.models import RateCounter
from sessions.views.join import WRONG_CODES_ALLOWED, WRONG_CODES_WINDOW

TRIES = 40
WRONG = "22222X"


class _Server(ThreadedWSGIServer):
    # The live server's accept queue holds 10 connections: 40 at once would be reset before reaching Django.
    request_queue_size = 64


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server_url(transactional_db):
    """Django's live-server machinery (a thread per request) on a free port, with room for 40 at once.
    Its threads close their database connections after each request, so none outlives the test."""
    settings_dict = connections["default"].settings_dict
    kept, settings_dict["CONN_MAX_AGE"] = settings_dict["CONN_MAX_AGE"], 0
    server = _Server(("127.0.0.1", 0), _QuietHandler, allow_reuse_address=False)
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    settings_dict["CONN_MAX_AGE"] = kept


def at_once(count, call):
    """Run `call` in `count` threads released together; their results in order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        barrier.wait()
        try:
            results[i] = call()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def status_of(request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 – the live server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wrong_deep_link(url):
    return lambda: status_of(urllib.request.Request(f"{url}/j/{WRONG}/"))


def wrong_code_form(url):
    token = "a" * 32  # a CSRF secret of our own, sent as the cookie and the header
    data = f"code={WRONG}".encode()
    headers = {"Cookie": f"csrftoken={token}", "X-CSRFToken": token}
    return lambda: status_of(urllib.request.Request(f"{url}/deltag/", data=data, headers=headers))


@pytest.mark.parametrize("attempt", [wrong_deep_link, wrong_code_form], ids=["deep link", "code form"])
def test_forty_wrong_codes_at_once_get_exactly_the_allowed_answers(attempt, server_url):
    statuses = at_once(TRIES, attempt(server_url))
    assert None not in statuses
    answered = [status for status in statuses if status != 429]
    assert len(answered) == WRONG_CODES_ALLOWED, sorted(statuses)
    assert set(answered) <= {200, 404}


def test_forty_hits_at_once_count_forty_and_allow_exactly_the_limit(transactional_db):
    allowed = at_once(TRIES, lambda: ratelimit.hit("test:at-once", limit=7, window=600))
    assert allowed.count(True) == 7
    assert RateCounter.objects.get(key="test:at-once").count == TRIES


class Clock:
    def __init__(self, monkeypatch):
        self.now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # a multiple of the ten-minute window
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def at(self, seconds):
        self.now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC) + timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.mark.django_db
def test_the_window_is_fixed_a_late_wrong_code_does_not_extend_it(course, clock):
    phone = Client(REMOTE_ADDR="10.0.0.7")
    clock.at(1)
    for _ in range(WRONG_CODES_ALLOWED):
        assert phone.post("/deltag/", {"code": WRONG}).status_code == 200
    clock.at(WRONG_CODES_WINDOW - 1)  # the last second of the window
    assert phone.post("/deltag/", {"code": WRONG}).status_code == 429
    assert phone.post("/deltag/", {"code": course.join_code}).status_code == 429
    clock.at(WRONG_CODES_WINDOW)  # the window ends when it began to end, not ten minutes after the last try
    assert phone.post("/deltag/", {"code": course.join_code}).status_code == 302
    assert phone.post("/deltag/", {"code": WRONG}).status_code == 200


@pytest.mark.django_db
def test_a_right_code_does_not_count(course):
    phone = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(3 * WRONG_CODES_ALLOWED):  # a room of phones behind one address joining
        assert phone.post("/deltag/", {"code": course.join_code}).status_code == 302
    assert ratelimit.count("join:wrong:10.0.0.7", window=WRONG_CODES_WINDOW) == 0


@pytest.mark.django_db
def test_counters_of_ended_windows_are_deleted_when_a_new_window_begins(clock):
    ratelimit.hit("join:wrong:10.0.0.1", limit=10, window=600)
    ratelimit.hit("join:wrong:10.0.0.1", limit=10, window=600)
    clock.at(600)
    ratelimit.hit("join:wrong:10.0.0.1", limit=10, window=600)  # the old window's row is updated no more
    clock.at(1200)
    ratelimit.hit("join:wrong:10.0.0.2", limit=10, window=600)
    assert list(RateCounter.objects.values_list("key", "count")) == [("join:wrong:10.0.0.2", 1)]


@pytest.mark.django_db
def test_hits_count_per_key_and_window(clock):
    assert [ratelimit.hit("a", limit=2, window=60) for _ in range(3)] == [True, True, False]
    assert ratelimit.hit("b", limit=2, window=60)
    assert ratelimit.count("a", window=60) == 3
    clock.at(60)
    assert ratelimit.count("a", window=60) == 0
    assert ratelimit.hit("a", limit=2, window=60)


def test_without_a_proxy_the_address_is_remote_addr(settings, rf):
    settings.SECURE_PROXY_SSL_HEADER = None
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert ratelimit.client_address(request) == "10.0.0.9"


def test_behind_the_proxy_the_address_is_the_last_forwarded(settings, rf):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="spoofed, 192.0.2.7")
    assert ratelimit.client_address(request) == "192.0.2.7"
