"""Benchmark the printables against gunicorn: every document's render time uncached, the summary's size with
ten phone photos, which documents an upload or a card renders anew, and a long render against the worker
timeout.

Usage: .venv/bin/python bench/printables.py
Starts gunicorn on 127.0.0.1 (free port) against a temporary SQLite database and media folder,
creates a course with 60 participants (each a handed-in sheet written out as people write them), 300 cards
and 10 photos of about 3 MB, and prints one line per figure: `name: value unit (ratio to trivial view: r)`,
the trivial view being /healthz in the same run.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
TMP = Path(tempfile.mkdtemp(prefix="bench-printables-"))
os.environ.pop("DATABASE_URL", None)  # a throwaway SQLite file, never a database named outside
os.environ.update(
    DJANGO_SETTINGS_MODULE="borgerblik.settings",
    DJANGO_DEBUG="1",
    DJANGO_SQLITE_PATH=str(TMP / "bench.sqlite3"),
    DJANGO_MEDIA_ROOT=str(TMP / "media"),
    DJANGO_LOG_LEVEL="ERROR",
)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from common import fetch, free_port, gunicorn, wait_until_up  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from PIL import Image  # noqa: E402

from interviews.models import ReflectionSheet, SheetStatus  # noqa: E402
from sessions.models import Card, Membership, Participant, Role, Touchpoint, Workplace, Zone  # noqa: E402
from sessions.photos import photos_add  # noqa: E402
from sessions.printables import DOCUMENTS  # noqa: E402
from sessions.services import course_create, tool_load  # noqa: E402

PARTICIPANTS, CARDS, PHOTOS = 60, 300, 10
RUNS = 5
GOAL_MS = 3000
SENTENCE = (
    "Borgeren fortalte, at det var nemt at finde en tid, men at bekræftelsen kom sent, og at hun ikke vidste, "
    "om hun skulle møde op. "
)
# A sheet as people write it on the phone: every field filled in, the answers a few sentences long.
ANSWERS = {
    "context": "Bookede en tid til pas på hjemmesiden om aftenen",
    "age_band": "30-49",
    "answer_1": SENTENCE * 3,
    "answer_2": SENTENCE * 3,
    "positives": ["Kunne booke om aftenen", "Fik en sms dagen før"],
    "negatives": ["Bekræftelsen kom sent", "Svære ord i mailen"],
    "surprises": SENTENCE * 2,
    "learnings": SENTENCE * 2,
}


def phone_photos(count: int, seed: int = 0) -> list[SimpleUploadedFile]:
    """Photos of about 3 MB each, 6 megapixels, as a phone takes them (noise: every pixel costs bytes)."""
    uploads = []
    for i in range(count):
        out = io.BytesIO()
        Image.effect_noise((3000, 2000), 40 + seed + i).convert("RGB").save(out, "JPEG", quality=85)
        uploads.append(SimpleUploadedFile(f"wall{seed + i}.jpg", out.getvalue(), "image/jpeg"))
    return uploads


def make_course():
    call_command("migrate", verbosity=0)
    tool = tool_load()
    workplace = Workplace.objects.create(name="Borgerservice Bench")
    user = get_user_model().objects.create_user("bench", password="bench-only")
    Membership.objects.create(workplace=workplace, user=user, role=Role.FACILITATOR)
    touchpoint = Touchpoint.objects.create(workplace=workplace, name="Online tidsbestilling")
    course = course_create(
        workplace=workplace,
        tool=tool,
        title="Bench",
        chosen_touchpoint=touchpoint,
        meeting_starts_at=datetime(2026, 3, 10, 13, tzinfo=ZoneInfo("Europe/Copenhagen")),
        meeting_place="Mødelokale Havnen",
    )
    people = Participant.objects.bulk_create(
        Participant(course=course, display_name=f"Deltager {i}") for i in range(PARTICIPANTS)
    )
    ReflectionSheet.objects.bulk_create(
        ReflectionSheet(participant=person, status=SheetStatus.SUBMITTED, experience=1 + i % 5, answers=ANSWERS)
        for i, person in enumerate(people)
    )
    cards = Card.objects.bulk_create(
        Card(
            course=course,
            author=people[i % PARTICIPANTS],
            zone=Zone.POSITIVE if i % 2 else Zone.NEGATIVE,
            text=f"Virkning nummer {i} for borgeren, skrevet i mødet",
            starred=i % 17 == 0,
        )
        for i in range(CARDS)
    )
    for card in cards[200:260]:
        card.merged_into = cards[card.pk % 50]
    Card.objects.bulk_update(cards[200:260], ["merged_into"])
    uploads = phone_photos(PHOTOS)
    upload_bytes = sum(upload.size for upload in uploads)
    photos_add(course=course, uploads=uploads, user=user)
    client = Client()
    client.force_login(user)
    return course, user, client.cookies["sessionid"].value, upload_bytes


def get(port: int, path: str, cookie: str, **headers) -> tuple[float, int, dict, bytes]:
    request_headers = {"Cookie": f"sessionid={cookie}", **headers}
    status, response_headers, body, ms = fetch(port, "GET", path, request_headers, timeout=120)
    return ms, status, response_headers, body


def until_ready(port: int, path: str, cookie: str) -> tuple[float, float, bytes]:
    """(milliseconds to the first answer, milliseconds until the PDF is there, the PDF): a 202 page is polled."""
    started = time.perf_counter()
    first, status, headers, body = get(port, path, cookie)
    while status == 202:
        time.sleep(0.1)
        _ms, status, headers, _body = get(port, path, cookie, **{"HX-Request": "true"})
        if status == 200 and headers.get("HX-Redirect"):
            _ms, status, headers, body = get(port, path, cookie)
    assert status == 200 and body.startswith(b"%PDF"), (path, status)
    return first, (time.perf_counter() - started) * 1000, body


def main() -> None:
    course, user, cookie, upload_bytes = make_course()
    port = free_port()
    server = gunicorn(port, dict(os.environ), "--workers", "2", "--timeout", "120")
    try:
        wait_until_up(port, server)
        trivial = statistics.median(get(port, "/healthz", cookie)[0] for _ in range(30))
        lines = [("healthz", trivial, "ms")]

        def pdf_path(name: str) -> str:
            return f"/forloeb/{course.pk}/print/{name}.pdf"

        def rendered(name: str, runs: int = RUNS) -> tuple[float, bytes]:
            times = []
            for _ in range(runs):
                cache.clear()
                _first, ms, pdf = until_ready(port, pdf_path(name), cookie)
                times.append(ms)
            return statistics.median(times), pdf

        slowest = 0.0
        for name in DOCUMENTS:
            ms, pdf = rendered(name, 3 if name in ("opsamling", "m2-udfyldt") else RUNS)
            slowest = max(slowest, ms)
            label = {"opsamling": "summary_60p_300c_10photos", "m2-udfyldt": "m2_filled_60_sheets"}.get(name, name)
            lines.append((f"print_{label.replace('-', '_')}_render", ms, "ms"))
            if name == "opsamling":
                summary_size = len(pdf)
        lines.append(("print_slowest_document_render", slowest, "ms"))

        get(port, pdf_path("opsamling"), cookie)
        cached = []
        for _ in range(20):
            ms, _status, headers, _body = get(port, pdf_path("opsamling"), cookie)
            assert headers.get("X-Print-Cache") == "hit", headers
            cached.append(ms)
        lines.append(("print_summary_cached", statistics.median(cached), "ms"))

        # A bounded burst: 4 threads fetching the cached summary at once.
        with ThreadPoolExecutor(4) as pool:
            burst = sorted(pool.map(lambda _: get(port, pdf_path("opsamling"), cookie)[0], range(40)))
        lines.append(("print_summary_cached_p95_4_threads", burst[int(len(burst) * 0.95) - 1], "ms"))

        # Which documents an upload or a card renders anew: each document has its own fingerprint.
        for name in DOCUMENTS:
            until_ready(port, pdf_path(name), cookie)
        photos_add(course=course, uploads=phone_photos(1, seed=PHOTOS), user=user)
        anew = [name for name in DOCUMENTS if get(port, pdf_path(name), cookie)[2].get("X-Print-Cache") != "hit"]
        lines.append(("print_documents_rendered_anew_after_a_photo", len(anew), f"of {len(DOCUMENTS)} ({anew})"))
        Card.objects.create(course=course, zone=Zone.POSITIVE, text="Et kort mere")
        anew = [name for name in DOCUMENTS if get(port, pdf_path(name), cookie)[2].get("X-Print-Cache") != "hit"]
        lines.append(("print_documents_rendered_anew_after_a_card", len(anew), f"of {len(DOCUMENTS)} ({anew})"))
    finally:
        server.terminate()
        server.wait(timeout=10)

    # The README's command (sync workers, gunicorn's default 30-second timeout) and a render that outlasts the
    # request's wait (1 s here, 10 s by default): the worker answers at once and renders in the background.
    port = free_port()
    env = {**os.environ, "BORGERBLIK_PRINT_WAIT_SECONDS": "1"}
    server = gunicorn(port, env, "--workers", "2")
    try:
        wait_until_up(port, server)
        cache.clear()
        first, ready, _pdf = until_ready(port, pdf_path("m2-udfyldt"), cookie)
        lines.append(("print_long_render_first_answer", first, "ms"))
        lines.append(("print_long_render_pdf_ready", ready, "ms"))
    finally:
        server.terminate()
        server.wait(timeout=10)

    for name, value, unit in lines:
        if unit == "ms":
            print(f"{name}: {value:.0f} ms (ratio to trivial view: {value / trivial:.1f})")
        else:
            print(f"{name}: {value} {unit} (ratio to trivial view: n/a)")
    size = summary_size / 1e6
    print(
        f"print_summary_10photos_size: {size:.2f} MB (ratio to trivial view: n/a; "
        f"the {PHOTOS} photos uploaded: {upload_bytes / 1e6:.1f} MB)"
    )
    print(f"print_goal: every document under {GOAL_MS} ms uncached on an idle machine; slowest {slowest:.0f} ms")


if __name__ == "__main__":
    main()
