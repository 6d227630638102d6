from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from sessions.models import Card, Course, CoursePhase, Participant, Zone

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
