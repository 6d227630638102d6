"""Simulate the follow-up meeting against gunicorn: 60 phones polling every 2 s and 2 presenter
screens, while cards arrive twice over:

- the card round's rush: 200 cards from the 60 phones, each phone sending its cards as fast as
  a person taps a suggestion (every 0.5–3 s), as htmx requests the way the phones send them;
- an instant burst: 200 cards plus 20 double taps released at the same moment. Its p95 is bound by
  the server's CPU (220 posts × the time of one post ÷ cores), so it is printed with its drain time
  and beside 220 simultaneous requests for the trivial view, the floor of the same machine.

Uses a temporary SQLite database, or PostgreSQL when DATABASE_URL is set (a temporary database
is created on that server and dropped afterwards). Prints `name: value unit (ratio to trivial view: r)`.
"""

import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from common import fetch, free_port, gunicorn, p95, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PHONES, PRESENTERS, CARDS, DOUBLE_TAPS, POLL_SECONDS, POLL_FOR = 60, 2, 200, 20, 2.0, 24.0
CSRF = "b" * 32

SETUP = r"""
import json, uuid
from django.contrib.auth import get_user_model
from django.core.signing import get_cookie_signer
from django.test import Client
from sessions import meeting as svc
from sessions.decorators import PARTICIPANT_SALT, participant_cookie_name
from sessions.models import DialogueTool, Membership, Participant, Role, Workplace
from sessions.services import course_create
wp = Workplace.objects.create(name="Bench")
user = get_user_model().objects.create_user("bench", password="bench-only")
Membership.objects.create(workplace=wp, user=user, role=Role.FACILITATOR)
course = course_create(workplace=wp, tool=DialogueTool.objects.get(slug="borgerens-blik"), title="Bench")
people = Participant.objects.bulk_create(Participant(course=course, display_name=f"P{i}") for i in range(60))
svc.zones_assign(course=course, by=user, reshuffle=True)
svc.meeting_start(course=course, by=user)
svc.meeting_go(course=course, by=user, step="item")
svc.meeting_go(course=course, by=user, step="next")
svc.cards_reveal(course=course, by=user, revealed=True)
client = Client(); client.force_login(user)
phones = []
for p in Participant.objects.filter(course=course):
    name = participant_cookie_name(course.pk)
    phones.append({"cookie": f"{name}={get_cookie_signer(salt=name + PARTICIPANT_SALT).sign(p.token)}", "zone": p.zone})
print("JSON" + json.dumps({"course": course.pk, "session": client.cookies["sessionid"].value, "phones": phones}))
"""
COUNT = r"""
from django.db.models import Count
from sessions.models import Card
cards = Card.objects.filter(course__title="Bench").exclude(text__startswith="Enkelt")
dupes = cards.values("client_key").annotate(n=Count("pk")).filter(n__gt=1).count()
texts = cards.values("text").annotate(n=Count("pk")).filter(n__gt=1).count()
print("JSON" + str(cards.count()) + "," + str(dupes + texts))
"""


def manage(env, *args, stdin=None):
    out = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return out.stdout


def request(port, method, path, headers=None, body=None):
    """(status, seconds, ETag) of one request; status 0 when the connection failed."""
    status, answer, _, ms = fetch(port, method, path, headers, body)
    return status, ms / 1000, answer.get("ETag")


def run_threads(target, count):
    """Call target(0) … target(count - 1) on threads of their own and wait for all of them."""
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def at_once(count, call):
    """Release `count` calls at the same instant; their times and the (first start, last end) window."""
    gate, lock, times, window = threading.Barrier(count), threading.Lock(), [], []

    def one(i):
        gate.wait()
        began = time.perf_counter()
        took = call(i)
        with lock:
            times.append(took)
            window.append((began, time.perf_counter()))

    run_threads(one, count)
    return times, (min(b for b, _ in window), max(e for _, e in window))


def p95s(seconds):
    """The 95th percentile of durations in seconds, in milliseconds."""
    return p95([value * 1000 for value in seconds])


def run(label, env):
    manage(env, "migrate", "--noinput", "-v", "0")
    data = json.loads(manage(env, "shell", "-c", SETUP).split("JSON", 1)[1])
    course, port = data["course"], free_port()
    server = gunicorn(port, env, "-w", "3", "-k", "gthread", "--threads", "8")
    try:
        wait_until_up(port, server)
        health = [request(port, "GET", "/healthz")[1] for _ in range(200)]
        base = p95s(health)
        errors, lock = [], threading.Lock()
        polls = {"changed": [], "unchanged": [], "presenter": []}
        stop = time.monotonic() + POLL_FOR

        def poller(path, headers, kind):
            etag = None
            time.sleep(random.random() * POLL_SECONDS)
            while time.monotonic() < stop:
                h = dict(headers, **({"If-None-Match": etag} if etag else {}))
                began = time.perf_counter()
                status, took, tag = request(port, "GET", path, h)
                with lock:
                    if status not in (200, 304):
                        errors.append((path, status))
                    elif kind == "presenter":
                        polls["presenter"].append((began, took))
                    else:
                        polls["unchanged" if status == 304 else "changed"].append((began, took))
                etag = tag or etag
                time.sleep(POLL_SECONDS)

        threads = [
            threading.Thread(
                target=poller, args=(f"/deltager/{course}/moede/status/", {"Cookie": ph["cookie"]}, "phone")
            )
            for ph in data["phones"]
        ] + [
            threading.Thread(
                target=poller,
                args=(f"/forloeb/{course}/skaerm/moede/live/", {"Cookie": f"sessionid={data['session']}"}, "presenter"),
            )
            for _ in range(PRESENTERS)
        ]
        for t in threads:
            t.start()

        def post(phone, text, key, htmx):
            body = f"text={text}&zone={phone['zone']}&client_key={key}"
            headers = {
                "Cookie": f"{phone['cookie']}; csrftoken={CSRF}",
                "X-CSRFToken": CSRF,
                "Content-Type": "application/x-www-form-urlencoded",
                **({"HX-Request": "true"} if htmx else {}),
            }
            status, took, _ = request(port, "POST", f"/deltager/{course}/moede/kort/", headers, body)
            if status != (200 if htmx else 302):
                with lock:
                    errors.append(("card", status))
            return took

        # The rush: 200 cards from 60 phones, each at a person's pace.
        time.sleep(POLL_SECONDS)
        rush, shares = [], [CARDS // PHONES + (i < CARDS % PHONES) for i in range(PHONES)]

        def typist(i):
            for n in range(shares[i]):
                time.sleep(random.uniform(0.5, 3.0))
                took = post(data["phones"][i], f"Rush+{i}+{n}", uuid.uuid4(), htmx=True)
                with lock:
                    rush.append(took)

        run_threads(typist, PHONES)
        time.sleep(POLL_SECONDS)

        # The floor: the trivial view requested 220 times at the same instant, under the same polling.
        floor, floor_window = at_once(CARDS + DOUBLE_TAPS, lambda i: request(port, "GET", "/healthz")[1])
        time.sleep(POLL_SECONDS)

        # The instant burst: 220 posts released together (200 cards and 20 double taps of them).
        keys = [str(uuid.uuid4()) for _ in range(CARDS)]
        posts, drain = at_once(
            CARDS + DOUBLE_TAPS,
            lambda i: post(data["phones"][i % PHONES], f"Kort+{i % CARDS}", keys[i % CARDS], htmx=False),
        )
        for t in threads:
            t.join()
        # One phone at a time, as in a real card round (not counted as burst cards).
        single = [post(data["phones"][i], f"Enkelt+{i}", uuid.uuid4(), htmx=False) for i in range(40)]
        stored, duplicates = (int(v) for v in manage(env, "shell", "-c", COUNT).split("JSON", 1)[1].split(","))

        def line(name, value, unit, ratio=None):
            extra = f" (ratio to trivial view: {ratio:.2f})" if ratio is not None else ""
            print(f"{label} {name}: {value} {unit}{extra}")

        line("healthz p95", f"{base:.1f}", "ms", 1.0)
        line("card post p95 in the rush (200 cards from 60 phones, htmx)", f"{p95s(rush):.1f}", "ms", p95s(rush) / base)
        line("trivial view p95 when 220 ask at once", f"{p95s(floor):.1f}", "ms", p95s(floor) / base)
        line("card post p95 in the instant burst of 220", f"{p95s(posts):.1f}", "ms", p95s(posts) / base)
        line("  the same against 220 trivial requests at once", f"{p95s(posts) / p95s(floor):.2f}", "×")
        line("instant burst drained in", f"{(drain[1] - drain[0]) * 1000:.0f}", "ms")
        line("card post p95, one at a time", f"{p95s(single):.1f}", "ms", p95s(single) / base)

        def split(kind):
            """Poll times outside and inside the instant bursts (a poll queued behind one counts inside)."""
            windows = [drain, floor_window]

            def during(b, t):
                return any(b + t >= start and b <= end for start, end in windows)

            inside = [t for b, t in polls[kind] if during(b, t)]
            outside = [t for b, t in polls[kind] if not during(b, t)]
            return outside, inside

        for kind in ("unchanged", "changed", "presenter"):
            outside, inside = split(kind)
            line(f"{kind} poll p95", f"{p95s(outside):.1f}", "ms", p95s(outside) / base)
            line(f"{kind} poll p95 during the instant burst", f"{p95s(inside):.1f}", "ms", p95s(inside) / base)
        line("polls", len(polls["unchanged"]) + len(polls["changed"]) + len(polls["presenter"]), "requests")
        line("errors", len(errors), "requests")
        line("lost cards", max(0, 2 * CARDS - stored), "cards")
        line("duplicate cards", duplicates + max(0, stored - 2 * CARDS), "cards")
        return not errors and stored == 2 * CARDS and not duplicates
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    env = dict(
        os.environ,
        DJANGO_SECRET_KEY="bench-" + uuid.uuid4().hex,
        DJANGO_DEBUG="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="ERROR",
    )
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_env = dict(env, DJANGO_SQLITE_PATH=str(Path(tmp) / "bench.sqlite3"))
        sqlite_env.pop("DATABASE_URL", None)
        ok &= run("sqlite", sqlite_env)
    url = os.environ.get("DATABASE_URL")
    if url:
        name = f"bench_{uuid.uuid4().hex[:8]}"
        admin = subprocess.run(["psql", url, "-qc", f"CREATE DATABASE {name}"], capture_output=True, text=True)
        if admin.returncode:
            sys.exit(admin.stderr)
        try:
            ok &= run("postgres", dict(env, DATABASE_URL=urlunparse(urlparse(url)._replace(path=f"/{name}"))))
        finally:
            subprocess.run(["psql", url, "-qc", f"DROP DATABASE {name} WITH (FORCE)"], capture_output=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
