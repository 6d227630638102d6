"""Benchmark of reflection-sheet autosave: 60 phones each saving their sheet every 2 seconds, against gunicorn.

Starts gunicorn on 127.0.0.1 (free port) against a temporary SQLite database (DATABASE_URL is ignored),
runs a bounded load from Python threads and prints one line per figure:
    name: value unit (ratio to trivial view: r)
where the trivial view is /healthz measured in the same run. Afterwards every sheet in the database is
compared with the last save its phone got a confirmation for: a difference is a lost save.
"""

import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from common import fetch, free_port, gunicorn, p95, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
PHONES = int(os.environ.get("BENCH_PHONES", 60))
SAVE_EVERY = 2.0  # seconds between one phone's autosaves while typing
SECONDS = float(os.environ.get("BENCH_SECONDS", 20))
WORKERS = int(os.environ.get("BENCH_WORKERS", 3))


def setup_data(env):
    """A course in its interview period with one participant and one draft sheet per phone."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borgerblik.settings")
    import django

    django.setup()
    from django.core import signing
    from django.core.management import call_command

    from interviews.models import ReflectionSheet
    from sessions.decorators import PARTICIPANT_SALT, participant_cookie_name
    from sessions.models import CoursePhase, Participant, Touchpoint, Workplace
    from sessions.services import course_create, tool_load

    call_command("migrate", verbosity=0, interactive=False)
    tool = tool_load()
    workplace = Workplace.objects.create(name="Bench")
    touchpoint = Touchpoint.objects.create(workplace=workplace, name="Online tidsbestilling")
    course = course_create(
        workplace=workplace, tool=tool, title="Bench", chosen_touchpoint=touchpoint, phase=CoursePhase.INTERVIEWS
    )
    phones = []
    for i in range(PHONES):
        participant = Participant.objects.create(course=course, display_name=f"Telefon {i}")
        sheet = ReflectionSheet.objects.create(participant=participant)
        name = participant_cookie_name(course.pk)
        value = signing.get_cookie_signer(salt=name + PARTICIPANT_SALT).sign(participant.token)
        phones.append((f"{name}={value}", f"/deltager/{course.pk}/ark/{sheet.pk}/autosave/", sheet.pk))
    return phones


def stored_sheets() -> dict[int, tuple[int, str]]:
    from interviews.models import ReflectionSheet

    return {sheet.pk: (sheet.revision, sheet.answers.get("surprises", "")) for sheet in ReflectionSheet.objects.all()}


def main():
    os.environ.pop("DATABASE_URL", None)  # a throwaway SQLite file, never a database named outside
    workdir = Path(tempfile.mkdtemp(prefix="bench-autosave-"))
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SQLITE_PATH": str(workdir / "bench.sqlite3"),
    }
    phones = setup_data(env)
    port = free_port()
    process = gunicorn(port, {**os.environ, **env, "PYTHONWARNINGS": "ignore:No directory at"}, "-w", str(WORKERS))
    samples = {"healthz": [], "autosave": []}
    errors = {"count": 0}
    confirmed: dict[int, tuple[int, str]] = {}
    lock = threading.Lock()
    stop = threading.Event()
    csrf = secrets.token_hex(16)

    def trivial():
        while not stop.is_set():
            status, _, _, elapsed = fetch(port, "GET", "/healthz")
            with lock:
                if status == 200:
                    samples["healthz"].append(elapsed)
                else:
                    errors["count"] += 1
            time.sleep(0.25)

    def phone(cookie, path, sheet_id):
        headers = {
            "Cookie": f"{cookie}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        }
        revision, words, client = 0, [], secrets.token_hex(8)
        time.sleep(random.uniform(0, SAVE_EVERY))
        next_at = time.perf_counter()
        while not stop.is_set():
            words.append(f"ord{len(words) + 1}")
            text = " ".join(words)
            body = urlencode(
                {"revision": revision, "client": client, "interviewed_on": "2026-11-20", "surprises": text}
            )
            status, _, data, elapsed = fetch(port, "POST", path, headers, body)
            with lock:
                if status == 200:
                    samples["autosave"].append(elapsed)
                    revision = json.loads(data)["revision"]
                    confirmed[sheet_id] = (revision, text)
                else:
                    errors["count"] += 1
            next_at += SAVE_EVERY
            time.sleep(max(0.0, next_at - time.perf_counter()))

    try:
        wait_until_up(port, process)
        for _ in range(20):  # warm up the workers
            fetch(port, "GET", "/healthz")
        threads = [threading.Thread(target=trivial)] + [threading.Thread(target=phone, args=p) for p in phones]
        for thread in threads:
            thread.start()
        time.sleep(SECONDS)
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        process.terminate()
        process.wait(timeout=10)

    stored = stored_sheets()
    lost = sum(1 for sheet_id, saved in confirmed.items() if stored.get(sheet_id) != saved)
    base = p95(samples["healthz"])
    autosave = p95(samples["autosave"])
    rate = len(samples["autosave"]) / SECONDS
    print(f"healthz_p95: {base:.1f} ms (ratio to trivial view: 1.0)")
    print(f"autosave_p95: {autosave:.1f} ms (ratio to trivial view: {autosave / base:.1f})")
    print(
        f"autosave_median: {statistics.median(samples['autosave']):.1f} ms "
        f"(ratio to trivial view: {statistics.median(samples['autosave']) / statistics.median(samples['healthz']):.1f})"
    )
    print(f"autosave_rate: {rate:.1f} saves/s from {PHONES} phones (ratio to trivial view: n/a)")
    print(f"autosave_errors: {errors['count']} requests (ratio to trivial view: n/a)")
    print(f"autosave_lost: {lost} sheets (ratio to trivial view: n/a)")
    return 1 if errors["count"] or lost else 0


if __name__ == "__main__":
    sys.exit(main())
