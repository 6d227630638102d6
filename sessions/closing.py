"""Closing a course: from then on nothing more is written, and the retention period runs.

A closed course is read-only for everyone: phones (sheets, cards, surprises, proposals, dots), the
meeting's controls, the follow-up, photos, e-mails and the course's own forms all refuse to write.
`purge_courses` deletes it with everything in it once `BORGERBLIK_RETENTION_DAYS` have passed since
`closed_at`. Until then it can be reopened; it then takes up the phase it would have had.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Course, CoursePhase, Kickoff, Meeting

COURSE_CLOSED = _("Forløbet er afsluttet, så der kan ikke længere skrives eller ændres noget i det.")


def ensure_open(course: Course) -> None:
    """Raise ValidationError (code "closed") when the course is closed: every write checks this first."""
    if course.phase == CoursePhase.CLOSED:
        raise ValidationError(COURSE_CLOSED, code="closed")


def may_close(course: Course, user) -> bool:
    """Facilitators run the course and leaders own its follow-up: both may end it (and reopen it)."""
    return bool(user and user.is_authenticated) and course.workplace.memberships.filter(user=user).exists()


def phase_before_closing(course: Course) -> str:
    """The phase the course's own data says it is in: where a reopened course takes up again."""
    meeting = Meeting.objects.filter(course=course).values_list("started_at", "ended_at").first()
    if meeting and meeting[1]:
        return CoursePhase.FOLLOWUP
    if meeting and meeting[0]:
        return CoursePhase.MEETING
    if course.chosen_touchpoint_id:
        return CoursePhase.INTERVIEWS
    kickoff = Kickoff.objects.filter(course=course).values_list("timer_started_at", "timer_elapsed").first()
    if kickoff and (kickoff[0] or kickoff[1]):
        return CoursePhase.KICKOFF
    return CoursePhase.PREPARATION


def course_close(*, course: Course, by) -> Course:
    """Close the course now: a meeting still running ends, and the retention period starts today."""
    if not may_close(course, by):
        raise PermissionDenied
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        if locked.phase == CoursePhase.CLOSED:
            raise ValidationError(_("Forløbet er allerede afsluttet."), code="already")
        now = timezone.now()
        # Screens and phones still polling a meeting say it has ended instead of counting down.
        Meeting.objects.filter(course=locked, started_at__isnull=False, ended_at__isnull=True).update(
            ended_at=now, paused_at=None, version=F("version") + 1
        )
        Kickoff.objects.filter(course=locked).update(revision=F("revision") + 1)
        locked.phase, locked.closed_at = CoursePhase.CLOSED, now
        locked.save(update_fields=["phase", "closed_at", "updated_at"])
    course.phase, course.closed_at = locked.phase, locked.closed_at
    return course


def course_reopen(*, course: Course, by) -> Course:
    """Undo a closing before the purge: writes are allowed again and the retention period no longer runs."""
    if not may_close(course, by):
        raise PermissionDenied
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        if locked.phase != CoursePhase.CLOSED:
            raise ValidationError(_("Forløbet er ikke afsluttet."), code="not_closed")
        locked.phase, locked.closed_at = phase_before_closing(locked), None
        locked.save(update_fields=["phase", "closed_at", "updated_at"])
        Kickoff.objects.filter(course=locked).update(revision=F("revision") + 1)
        Meeting.objects.filter(course=locked).update(version=F("version") + 1)
    course.phase, course.closed_at = locked.phase, locked.closed_at
    return course
