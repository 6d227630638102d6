"""Closing a course (after a confirmation that says what it means) and reopening it before the purge."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import closing
from ..decorators import member_required, open_when_closed
from ..models import Meeting


def _course_url(course) -> str:
    return reverse("dialogue:course", args=[course.pk])


@require_http_methods(["GET", "POST"])
@member_required
def course_close(request, course):
    """GET: what closing means, with the button. POST: close (facilitators and leaders alike)."""
    if not closing.may_close(course, request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            closing.course_close(course=course, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_course_url(course))
        purge = formats.date_format(timezone.localtime(course.purge_after), "DATE_FORMAT")
        messages.success(
            request,
            _("Forløbet er afsluttet. Der kan ikke længere skrives i det, og det slettes den %(date)s.")
            % {"date": purge},
        )
        return redirect(_course_url(course))
    days = settings.BORGERBLIK_RETENTION_DAYS
    return render(
        request,
        "sessions/course_close.html",
        {
            "course": course,
            "retention_days": days,
            "purge_after": timezone.localtime() + timezone.timedelta(days=days),
            "meeting_running": Meeting.objects.filter(
                course=course, started_at__isnull=False, ended_at__isnull=True
            ).exists(),
        },
    )


@require_POST
@member_required
@open_when_closed
def course_reopen(request, course):
    try:
        closing.course_reopen(course=course, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Forløbet er genåbnet. Det bliver ikke slettet, før det afsluttes igen."))
    return redirect(_course_url(course))
