"""Delete finished courses once the retention period is over: `python manage.py purge_courses [--dry-run]`."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from sessions import ratelimit
from sessions.models import Course, CoursePhase


class Command(BaseCommand):
    help = "Delete closed courses (participants, sheets, cards, photos) older than BORGERBLIK_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be deleted, delete nothing.")
        parser.add_argument("--days", type=int, default=None, help="Override BORGERBLIK_RETENTION_DAYS.")

    def handle(self, *args, dry_run=False, days=None, **options):
        days = settings.BORGERBLIK_RETENTION_DAYS if days is None else days
        cutoff = timezone.now() - timedelta(days=days)
        expired = Course.objects.filter(phase=CoursePhase.CLOSED, closed_at__lt=cutoff).order_by("closed_at")
        for course in expired:
            self.stdout.write(
                f"{'Would delete' if dry_run else 'Deleting'}: {course.pk} {course.title} ({course.closed_at:%Y-%m-%d})"
            )
        if dry_run:
            self.stdout.write(f"{expired.count()} course(s) older than {days} days; nothing deleted (dry run).")
            return
        with transaction.atomic():
            count = 0
            for course in expired:
                course.delete()
                count += 1
        self.stdout.write(f"Deleted {count} course(s) closed more than {days} days ago.")
        # Rate-limit counters name an address; once their window is over they serve nothing.
        self.stdout.write(f"Deleted {ratelimit.purge_expired()} expired rate-limit counter(s).")
