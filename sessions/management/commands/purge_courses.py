"""Delete closed courses once the retention period is over: `python manage.py purge_courses [--dry-run]`.

Meant to run from a timer (see deploy/ and the README) once a day or more often: it is idempotent (a
second run finds nothing left to delete) and writes exactly one line, so a timer's log or a cron mail
says what happened on each run. `--verbosity 2` names the courses as well.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from sessions import ratelimit
from sessions.models import Course, CoursePhase, Photo


class Command(BaseCommand):
    help = "Delete closed courses (with everything in them) once BORGERBLIK_RETENTION_DAYS have passed."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be deleted, delete nothing.")
        parser.add_argument("--days", type=int, default=None, help="Override BORGERBLIK_RETENTION_DAYS.")

    def handle(self, *args, dry_run=False, days=None, verbosity=1, **options):
        days = settings.BORGERBLIK_RETENTION_DAYS if days is None else days
        now = timezone.now()
        cutoff = now - timedelta(days=days)
        # Closed in the admin without a date: the retention period starts now, not never.
        undated = Course.objects.filter(phase=CoursePhase.CLOSED, closed_at__isnull=True)
        undated = undated.count() if dry_run else undated.update(closed_at=now)
        expired = Course.objects.filter(phase=CoursePhase.CLOSED, closed_at__lt=cutoff).order_by("closed_at")
        if verbosity >= 2:
            for course in expired:
                self.stdout.write(f"  {course.pk} {course.title} (closed {course.closed_at:%Y-%m-%d})")
        photos = Photo.objects.filter(course__in=expired).count()
        if dry_run:
            self.stdout.write(
                f"purge_courses: Would delete {expired.count()} course(s) closed before {cutoff:%Y-%m-%d} "
                f"({days} days) with {photos} photo(s); nothing deleted (dry run)."
            )
            return
        with transaction.atomic():
            count = 0
            # One course at a time: the signals take each one's photo files and cached PDFs after the commit.
            for course in expired.select_for_update():
                course.delete()
                count += 1
        # Rate-limit counters name an address; once their window is over they serve nothing.
        counters = ratelimit.purge_expired()
        dated = f", dated {undated} closed course(s) without a date" if undated else ""
        self.stdout.write(
            f"purge_courses: deleted {count} course(s) closed before {cutoff:%Y-%m-%d} ({days} days) "
            f"with {photos} photo(s), and {counters} expired rate-limit counter(s){dated}."
        )
