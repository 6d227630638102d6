"""Benchmark the printables against gunicorn: M1–M4 render times, the summary of a large course, cache hits.

Usage: .venv/bin/python bench/printables.py
Starts gunicorn on 127.0.0.1 (free port) against a temporary SQLite database and media folder,
creates a course with 60 participants, 300 cards and 10 photos, and prints one line per figure:
`name: value unit (ratio to trivial view: r)`, the trivial view being /healthz in the same run.
"""

import io
import os
import statistics
import sys
import tempfile
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
from sessions.services import course_create, tool_load  # noqa: E402

PARTICIPANTS, CARDS, PHOTOS = 60, 300, 10
RUNS = 5


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
        ReflectionSheet(
            participant=person,
            status=SheetStatus.SUBMITTED,
            experience=1 + i % 5,
            answers={"context": "Bookede en tid", "learnings": f"Læring {i}", "surprises": "Overraskelse"},
        )
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
    uploads = []
    for i in range(PHOTOS):
        out = io.BytesIO()
        Image.effect_noise((3000, 2000), 40 + i).convert("RGB").save(out, "JPEG", quality=85)
        uploads.append(SimpleUploadedFile(f"wall{i}.jpg", out.getvalue(), "image/jpeg"))
    photos_add(course=course, uploads=uploads, user=user)
    client = Client()
    client.force_login(user)
    return course, client.cookies["sessionid"].value


def get(port: int, path: str, cookie: str) -> tuple[float, int, str]:
    status, headers, _, ms = fetch(port, "GET", path, {"Cookie": f"sessionid={cookie}"}, timeout=120)
    return ms, status, headers.get("X-Print-Cache", "")


def main() -> None:
    course, cookie = make_course()
    port = free_port()
    server = gunicorn(port, dict(os.environ), "--workers", "2", "--timeout", "120")
    try:
        wait_until_up(port, server)
        trivial = statistics.median(get(port, "/healthz", cookie)[0] for _ in range(30))
        lines = [("healthz", trivial)]

        def rendered(name: str, runs: int = RUNS) -> float:
            times = []
            for _ in range(runs):
                cache.clear()
                ms, status, hit = get(port, f"/forloeb/{course.pk}/print/{name}.pdf", cookie)
                assert status == 200 and hit == "miss", (name, status, hit)
                times.append(ms)
            return statistics.median(times)

        for name in ["m1", "m2", "m3", "m4", "kort", "drejebog"]:
            lines.append((f"print_{name.replace('-', '_')}_render", rendered(name)))
        lines.append(("print_summary_60p_300c_10photos_render", rendered("opsamling", 3)))

        get(port, f"/forloeb/{course.pk}/print/opsamling.pdf", cookie)
        cached = []
        for _ in range(20):
            ms, status, hit = get(port, f"/forloeb/{course.pk}/print/opsamling.pdf", cookie)
            assert hit == "hit", hit
            cached.append(ms)
        lines.append(("print_summary_cached", statistics.median(cached)))

        # A bounded burst: 4 threads fetching the cached summary at once.
        with ThreadPoolExecutor(4) as pool:
            burst = sorted(
                pool.map(lambda _: get(port, f"/forloeb/{course.pk}/print/opsamling.pdf", cookie)[0], range(40))
            )
        lines.append(("print_summary_cached_p95_4_threads", burst[int(len(burst) * 0.95) - 1]))

        for name, value in lines:
            print(f"{name}: {value:.0f} ms (ratio to trivial view: {value / trivial:.1f})")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
