from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from sessions.models import Card, Course, CoursePhase, Participant, Photo, Zone

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
