"""Benchmark of the kick-off: 60 phones voting and 2 presenter screens polling, against gunicorn.

Starts gunicorn on 127.0.0.1 (free port) against a temporary SQLite database (DATABASE_URL is ignored),
runs a bounded load from Python threads and prints one line per figure:
    name: value unit (ratio to trivial view: r)
where the trivial view is /healthz measured in the same run. Also prints the compressed first-load
weight of the participant pages (HTML + CSS + JS).
"""

import gzip
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import fetch, free_port, gunicorn, p95, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
PHONES = int(os.environ.get("BENCH_PHONES", 60))
PRESENTERS = 2
QUIET_SECONDS = float(os.environ.get("BENCH_QUIET_SECONDS", 8))
VOTING_SECONDS = float(os.environ.get("BENCH_VOTING_SECONDS", 20))
POLL_EVERY = 2.0  # as the presenter page polls
WORKERS = int(os.environ.get("BENCH_WORKERS", 3))
WEIGHT_LIMIT_KB = 60


def setup_data(env):
    """Create a workplace, a facilitator, a course with touchpoints and the phones' participants."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borgerblik.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core import signing
    from django.core.management import call_command
    from django.test import Client

    from sessions.decorators import PARTICIPANT_SALT, participant_cookie_name
    from sessions.models import Membership, Participant, Role, Touchpoint, Workplace
    from sessions.services import course_create, tool_load

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    tool = tool_load()
    workplace = Workplace.objects.create(name="Bench")
    user = get_user_model().objects.create_user("bench", password="bench-password-1")
    Membership.objects.create(workplace=workplace, user=user, role=Role.FACILITATOR)
    touchpoints = [Touchpoint.objects.create(workplace=workplace, name=f"Servicemøde {i}") for i in range(6)]
    course = course_create(workplace=workplace, tool=tool, title="Bench", proposed_touchpoint=touchpoints[0])
    phones = []
    for i in range(PHONES):
        participant = Participant.objects.create(course=course, display_name=f"Telefon {i}")
        name = participant_cookie_name(course.pk)
        value = signing.get_cookie_signer(salt=name + PARTICIPANT_SALT).sign(participant.token)
        phones.append(f"{name}={value}")
    client = Client()
    client.force_login(user)
    session = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return course.pk, course.join_code, [t.pk for t in touchpoints], phones, session


def page_weight(port: int, path: str, cookie: str = "") -> tuple[int, int]:
    """Compressed bytes of a page and the CSS and JS it loads (gzip -6, as a compressing server would send)."""
    status, _, html, _ = fetch(port, "GET", path, {"Cookie": cookie} if cookie else {})
    assert status == 200, (path, status)
    total_raw, total_gz = len(html), len(gzip.compress(html, 6))
    assets = re.findall(rb'<(?:script[^>]+src|link[^>]+href)="(/static/[^"]+)"', html)
    for asset in dict.fromkeys(assets):
        if asset.endswith(b".svg"):
            continue
        _, _, body, _ = fetch(port, "GET", asset.decode())
        total_raw += len(body)
        total_gz += len(gzip.compress(body, 6))
    return total_raw, total_gz


def main():
    os.environ.pop("DATABASE_URL", None)  # a throwaway SQLite file, never a database named outside
    workdir = Path(tempfile.mkdtemp(prefix="bench-kickoff-"))
    csrf = secrets.token_hex(16)
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    course_id, join_code, touchpoint_ids, phones, session = setup_data(env)
    port = free_port()
    process = gunicorn(port, {**os.environ, **env}, "-w", str(WORKERS))
    samples = {
        "healthz": [],
        "vote": [],
        "poll_unchanged": [],
        "poll_changed": [],
        "phone_status_unchanged": [],
        "phone_status_changed": [],
    }
    etags = {}
    errors = {"count": 0}
    lock = threading.Lock()
    stop = threading.Event()
    voting = threading.Event()

    def record(name, status, elapsed, ok=(200,)):
        with lock:
            if status in ok:
                samples[name].append(elapsed)
            else:
                errors["count"] += 1

    def trivial():
        while not stop.is_set():
            status, _, _, elapsed = fetch(port, "GET", "/healthz")
            record("healthz", status, elapsed)
            time.sleep(0.25)

    def presenter():
        etag = None
        path = f"/forloeb/{course_id}/skaerm/opstart/live/"
        while not stop.is_set():
            headers = {"Cookie": session, "HX-Request": "true"}
            if etag:
                headers["If-None-Match"] = etag
            status, response_headers, _, elapsed = fetch(port, "GET", path, headers)
            if status == 304:
                record("poll_unchanged", status, elapsed, ok=(304,))
            else:
                record("poll_changed", status, elapsed)
                etag = response_headers.get("ETag", etag)
            time.sleep(POLL_EVERY / 4)  # four times the page's rate: more samples, more load

    def phone(cookie):
        headers = {
            "Cookie": f"{cookie}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        voting.wait()
        time.sleep(random.uniform(0, 2))
        while not stop.is_set():
            body = f"touchpoint={random.choice(touchpoint_ids)}"
            status, _, _, elapsed = fetch(port, "POST", f"/deltager/{course_id}/stem/", headers, body)
            record("vote", status, elapsed, ok=(302,))
            time.sleep(random.uniform(0.5, 1.5))
            # The phone's own display-only poll, as its page does every 5 s.
            path = f"/deltager/{course_id}/status/?fase=kickoff&valgt="
            status, response_headers, _, elapsed = fetch(
                port, "GET", path, {**headers, "If-None-Match": etags.get(cookie, "")}
            )
            if status == 304:
                record("phone_status_unchanged", status, elapsed, ok=(304,))
            else:
                record("phone_status_changed", status, elapsed)
                etags[cookie] = response_headers.get("ETag", "")
            time.sleep(random.uniform(0.5, 1.5))

    try:
        wait_until_up(port, process)
        weights = {
            "join_page": page_weight(port, "/deltag/"),
            "join_name_page": page_weight(port, f"/j/{join_code}/"),
            "participant_home": page_weight(port, f"/deltager/{course_id}/", phones[0]),
        }
        # Warm every worker up (templates, connections) before measuring.
        for _ in range(10 * WORKERS):
            fetch(port, "GET", "/healthz")
            fetch(port, "GET", f"/forloeb/{course_id}/skaerm/opstart/live/", {"Cookie": session})
            fetch(port, "GET", f"/deltager/{course_id}/status/?fase=kickoff&valgt=", {"Cookie": phones[0]})
        threads = [threading.Thread(target=trivial, daemon=True)]
        threads += [threading.Thread(target=presenter, daemon=True) for _ in range(PRESENTERS)]
        threads += [threading.Thread(target=phone, args=(cookie,), daemon=True) for cookie in phones]
        for thread in threads:
            thread.start()
        time.sleep(QUIET_SECONDS)
        voting.set()
        time.sleep(VOTING_SECONDS)
        stop.set()
        for thread in threads:
            thread.join(timeout=35)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)

    trivial_p95 = p95(samples["healthz"])
    print(f"kickoff_healthz_p95: {trivial_p95:.1f} ms (ratio to trivial view: 1.0)")
    figures = (
        ("vote", 100),
        ("poll_unchanged", 30),
        ("poll_changed", None),
        ("phone_status_unchanged", 30),
        ("phone_status_changed", None),
    )
    for name, limit in figures:
        value = p95(samples[name])
        print(f"kickoff_{name}_p95: {value:.1f} ms (ratio to trivial view: {value / trivial_p95:.1f})")
        print(f"# {name}: {len(samples[name])} requests" + (f", target p95 < {limit} ms" if limit else ""))
    print(f"kickoff_errors: {errors['count']} count (ratio to trivial view: n/a)")
    worst = 0
    for name, (raw, compressed) in weights.items():
        worst = max(worst, compressed)
        print(f"kickoff_{name}_weight: {compressed / 1024:.1f} KB (ratio to trivial view: n/a)")
        print(f"# {name}: {raw / 1024:.1f} KB uncompressed, limit {WEIGHT_LIMIT_KB} KB compressed")
    failed = errors["count"] or p95(samples["vote"]) >= 100 or p95(samples["poll_unchanged"]) >= 30
    failed = failed or worst > WEIGHT_LIMIT_KB * 1024
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
