from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions.models import Card, Course, CoursePhase, Participant, Photo, RateCounter, Zone
from sessions.photos import photo_delete
from sessions.printables import DOCUMENTS, OWN_SHEETS, document_pdf
from sessions.services import course_create

pytestmark = pytest.mark.django_db


def close(course, days_ago):
    course.phase = CoursePhase.CLOSED
    course.closed_at = timezone.now() - timedelta(days=days_ago)
    course.save()


def test_expired_courses_are_deleted_with_their_data(course, settings):
    settings.BORGERBLIK_RETENTION_DAYS = 30
    participant = Participant.objects.create(course=course)
    Card.objects.create(course=course, author=participant, zone=Zone.POSITIVE, text="Hurtigt")
    close(course, days_ago=31)
    call_command("purge_courses")
    assert not Course.objects.exists()
    assert not Card.objects.exists() and not Participant.objects.exists()


def test_purging_deletes_the_photo_files_too(course, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    settings.BORGERBLIK_RETENTION_DAYS = 30
    photo = Photo(course=course, width=1, height=1)
    photo.image.save("wall.jpg", ContentFile(b"jpeg"), save=False)
    photo.thumbnail.save("wall-small.jpg", ContentFile(b"jpeg"), save=False)
    photo.save()
    files = [Path(photo.image.path), Path(photo.thumbnail.path)]
    assert all(f.exists() for f in files)
    close(course, days_ago=31)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_courses")
    assert not Photo.objects.exists()
    assert not any(f.exists() for f in files)


def test_a_course_within_the_retention_period_stays(course, settings):
    settings.BORGERBLIK_RETENTION_DAYS = 30
    close(course, days_ago=29)
    call_command("purge_courses")
    assert Course.objects.filter(pk=course.pk).exists()


def test_open_courses_are_never_purged(course):
    course.closed_at = timezone.now() - timedelta(days=1000)
    course.save()
    call_command("purge_courses", days=1)
    assert Course.objects.filter(pk=course.pk).exists()


def test_dry_run_deletes_nothing(course, capsys):
    close(course, days_ago=400)
    call_command("purge_courses", dry_run=True, days=30)
    assert Course.objects.filter(pk=course.pk).exists()
    assert "Would delete" in capsys.readouterr().out


# Cached documents: a course's PDFs (names, sheets, photos) leave the shared cache with the course.


@pytest.fixture
def empty_cache():
    cache.clear()


def cache_rows() -> set[str]:
    """The keys in the cache table itself: what is physically there, reachable or not."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM borgerblik_cache")
        return {row[0] for row in cursor.fetchall()}


def print_all(client, course, participant) -> None:
    """Every document of the course, the summary in English too, and a participant's own sheets."""
    for name in DOCUMENTS:
        assert client.get(reverse("dialogue:printable", args=[course.pk, name])).status_code == 200
    client.cookies["django_language"] = "en"
    assert client.get(reverse("dialogue:printable", args=[course.pk, "opsamling"])).status_code == 200
    del client.cookies["django_language"]
    document_pdf(course, OWN_SHEETS, "da", participant)


@pytest.fixture
def two_courses(course, workplace, tool, facilitator, empty_cache):
    """`course` with everything printed and cached, and another course of the workplace with its summary cached."""
    other = course_create(workplace=workplace, tool=tool, title="Andet forløb", created_by=facilitator)
    client = Client()
    client.force_login(facilitator)
    client.get(reverse("dialogue:printable", args=[other.pk, "opsamling"]))
    client.get(reverse("dialogue:printable", args=[other.pk, "kort"]))
    others_rows = cache_rows()
    assert len(others_rows) == 2
    participant = Participant.objects.create(course=course, display_name="Karen Navnesen")
    Card.objects.create(course=course, author=participant, zone=Zone.POSITIVE, text="Hurtigt")
    print_all(client, course, participant)
    assert len(cache_rows() - others_rows) >= len(DOCUMENTS) + 2
    return course, other, client, others_rows


def assert_only_the_other_course_is_cached(other, client, others_rows):
    assert cache_rows() == others_rows
    for name in ("opsamling", "kort"):
        assert client.get(reverse("dialogue:printable", args=[other.pk, name]))["X-Print-Cache"] == "hit"


def test_purging_deletes_the_course_cached_documents(two_courses, settings, django_capture_on_commit_callbacks):
    course, other, client, others_rows = two_courses
    settings.BORGERBLIK_RETENTION_DAYS = 30
    close(course, days_ago=31)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_courses")
    assert not Course.objects.filter(pk=course.pk).exists()
    assert_only_the_other_course_is_cached(other, client, others_rows)


def test_deleting_a_course_in_the_admin_deletes_its_cached_documents(two_courses, django_capture_on_commit_callbacks):
    course, other, client, others_rows = two_courses
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("admin", "admin@example.dk", "x"))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("admin:dialogue_course_delete", args=[course.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Course.objects.filter(pk=course.pk).exists()
    assert_only_the_other_course_is_cached(other, client, others_rows)


def test_deleting_a_participant_deletes_the_documents_that_may_print_them(
    two_courses, django_capture_on_commit_callbacks
):
    course, other, client, others_rows = two_courses
    with django_capture_on_commit_callbacks(execute=True):
        course.participants.get().delete()
    assert_only_the_other_course_is_cached(other, client, others_rows)


def test_deleting_a_photo_deletes_the_documents_that_print_it(
    two_courses, settings, tmp_path, django_capture_on_commit_callbacks
):
    course, other, client, others_rows = two_courses
    settings.MEDIA_ROOT = tmp_path
    photo = Photo(course=course, width=1, height=1)
    photo.image.save("wall.jpg", ContentFile(b"jpeg"), save=False)
    photo.thumbnail.save("wall-small.jpg", ContentFile(b"jpeg"), save=False)
    photo.save()
    with django_capture_on_commit_callbacks(execute=True):
        photo_delete(photo=photo)
    assert {key for key in cache_rows() - others_rows if "mine-ark" not in key} == set()


def test_a_document_rendered_while_its_course_is_deleted_is_not_kept(
    course, empty_cache, monkeypatch, django_capture_on_commit_callbacks
):
    """A render takes a while: the course may be deleted (and its cache cleared) before the PDF is stored."""

    def render_and_meanwhile_delete(*args, **kwargs):
        Course.objects.filter(pk=course.pk).delete()
        return b"%PDF-1.7 rendered from data that is gone now"

    monkeypatch.setattr("sessions.printables.pdf_from_html", render_and_meanwhile_delete)
    with django_capture_on_commit_callbacks(execute=False):  # only the check after storing can help here
        pdf, cached = document_pdf(course, DOCUMENTS["opsamling"], "da")
    assert pdf.startswith(b"%PDF") and not cached
    assert cache_rows() == set()


def test_the_purge_deletes_ended_rate_limit_counters(db):
    """A counter's key names an address; once its window is over, the purge removes it."""
    now = timezone.now()
    RateCounter.objects.create(key="join:192.0.2.1", window_start=now - timedelta(hours=1), expires_at=now, count=3)
    current = RateCounter.objects.create(
        key="join:192.0.2.2", window_start=now, expires_at=now + timedelta(minutes=10), count=1
    )
    call_command("purge_courses")
    assert list(RateCounter.objects.all()) == [current]


# The whole path, as a deployment runs it: closed on the course page → the daily timer runs the purge →
# once the retention period has passed, rows, photo files and cached PDFs are gone, and nothing else is.


def a_photo_upload(name="wall.jpg"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((900, 600), 40).convert("RGB").save(out, "JPEG", quality=90)
    return SimpleUploadedFile(name, out.getvalue(), "image/jpeg")


def app_rows(course_id: int) -> dict[str, int]:
    """How many rows of every table of the two apps still belong to the course."""
    from interviews.models import ReflectionSheet
    from sessions.models import Decision, Meeting, Surprise, TrialAction

    return {
        "course": Course.objects.filter(pk=course_id).count(),
        "participants": Participant.objects.filter(course_id=course_id).count(),
        "sheets": ReflectionSheet.objects.filter(participant__course_id=course_id).count(),
        "cards": Card.objects.filter(course_id=course_id).count(),
        "surprises": Surprise.objects.filter(group__course_id=course_id).count(),
        "decisions": Decision.objects.filter(course_id=course_id).count(),
        "trial actions": TrialAction.objects.filter(course_id=course_id).count(),
        "meeting": Meeting.objects.filter(course_id=course_id).count(),
        "photos": Photo.objects.filter(course_id=course_id).count(),
    }


def test_a_course_closed_on_its_page_is_gone_with_its_files_and_documents_once_the_retention_period_is_over(
    two_courses, settings, tmp_path, facilitator, monkeypatch, capsys, django_capture_on_commit_callbacks
):
    from interviews.models import ReflectionSheet, SheetStatus
    from sessions.models import Decision, DecisionKind, Meeting, TrialAction
    from tests.phones import phone_for

    course, other, client, others_rows = two_courses
    settings.MEDIA_ROOT = tmp_path
    settings.BORGERBLIK_RETENTION_DAYS = 365
    participant = course.participants.get()
    ReflectionSheet.objects.create(participant=participant, status=SheetStatus.SUBMITTED, experience=5)
    Decision.objects.create(course=course, kind=DecisionKind.KEEP, text="Hurtigt", source="own:1")
    TrialAction.objects.create(course=course, title="Større skrift")
    Meeting.objects.create(course=course, started_at=timezone.now(), ended_at=timezone.now())
    upload = client.post(reverse("dialogue:photo_upload", args=[course.pk]), {"photos": [a_photo_upload()]})
    assert upload.status_code == 302 and course.photos.count() == 1
    course_files = {path for path in tmp_path.rglob("*") if path.is_file()}
    assert len(course_files) >= 2  # the photo and its thumbnail (and what else is derived from them)
    # The summary with the photo, and the participant's own sheets from the phone, are in the cache.
    assert client.get(reverse("dialogue:printable", args=[course.pk, "opsamling"])).status_code == 200
    phone = phone_for(participant)
    assert phone.get(reverse("dialogue:own_sheets_pdf", args=[course.pk])).status_code == 200
    course_cache = cache_rows() - others_rows
    assert len(course_cache) >= len(DOCUMENTS) + 2

    # Closed on the course page, after its confirmation.
    assert client.get(reverse("dialogue:course_close", args=[course.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("dialogue:course_close", args=[course.pk])).status_code == 302
    course.refresh_from_db()
    assert course.phase == CoursePhase.CLOSED

    def purge_at(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        capsys.readouterr()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("purge_courses")
        return capsys.readouterr().out.splitlines()

    # The timer runs daily: within the retention period nothing happens.
    real_now = timezone.now()
    lines = purge_at(real_now + timedelta(days=364))
    assert len(lines) == 1 and lines[0].startswith("purge_courses: deleted 0 course(s)")
    assert app_rows(course.pk)["course"] == 1 and cache_rows() - others_rows == course_cache

    # The day after the retention period: everything of the course goes, nothing of the other course.
    lines = purge_at(real_now + timedelta(days=366))
    assert len(lines) == 1 and lines[0].startswith("purge_courses: deleted 1 course(s)")
    assert "with 1 photo(s)" in lines[0]
    assert set(app_rows(course.pk).values()) == {0}
    assert not any(path.exists() for path in course_files)
    assert cache_rows() == others_rows
    assert Course.objects.filter(pk=other.pk).exists()
    monkeypatch.undo()
    assert_only_the_other_course_is_cached(other, client, others_rows)

    # Idempotent: the next day's run finds nothing, and says so in one line.
    lines = purge_at(real_now + timedelta(days=367))
    assert len(lines) == 1 and lines[0].startswith("purge_courses: deleted 0 course(s)")


def test_a_course_closed_in_the_admin_without_a_date_starts_its_retention_period_at_the_next_purge(course, capsys):
    course.phase = CoursePhase.CLOSED
    course.save()
    call_command("purge_courses", days=0)
    course.refresh_from_db()
    assert course.closed_at is not None
    assert "dated 1 closed course(s) without a date" in capsys.readouterr().out
