from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from .models import Course, CoursePhase, Participant

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def open_when_closed(view):
    """Mark a view that may write to a closed course (reopening it); every other POST is refused."""
    view.open_when_closed = True
    return view


def _refused_when_closed(request, view, course_phase: str, landing: str):
    """A write to a closed course, answered in the form the page asked for; None when it may go ahead.

    The services refuse such writes too (`closing.ensure_open`); this catches every view in one place,
    also those that save a form themselves, and sends the browser to the page that says the course is closed.
    """
    if request.method in SAFE_METHODS or course_phase != CoursePhase.CLOSED:
        return None
    if getattr(view, "open_when_closed", False):
        return None
    from .closing import COURSE_CLOSED

    message = str(COURSE_CLOSED)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"saved": False, "closed": True, "errors": {"__all__": [message]}}, status=403)
    messages.error(request, message)
    if getattr(request, "htmx", False):
        response = HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
        response["HX-Redirect"] = landing
        return response
    return redirect(landing)


def member_required(view):
    """Replace the URL's course id by the Course, for its workplace's facilitators and leaders.

    A course of another workplace answers 404, so strangers learn nothing of it.
    """

    @login_required
    @wraps(view)
    def wrapper(request, course_id, *args, **kwargs):
        course = get_object_or_404(
            Course.objects.visible_to(request.user).select_related("workplace", "tool"), pk=course_id
        )
        refused = _refused_when_closed(request, view, course.phase, reverse("dialogue:course", args=[course.pk]))
        if refused is not None:
            return refused
        return view(request, course, *args, **kwargs)

    return wrapper


def facilitator_required(view):
    """Like member_required, and a leader (read-only) gets 403."""

    @member_required
    @wraps(view)
    def wrapper(request, course, *args, **kwargs):
        if not course.is_managed_by(request.user):
            raise PermissionDenied
        return view(request, course, *args, **kwargs)

    return wrapper


PARTICIPANT_COOKIE = "bb_participant_{course_id}"
PARTICIPANT_SALT = "borgerblik.participant"
PARTICIPANT_COOKIE_AGE = 60 * 60 * 24 * 120  # a course runs for weeks; the return link renews it


def participant_cookie_name(course_id: int) -> str:
    return PARTICIPANT_COOKIE.format(course_id=course_id)


def participant_remember(response, participant: Participant) -> None:
    """Keep the phone signed in to this course as this participant (signed, HttpOnly cookie)."""
    response.set_signed_cookie(
        participant_cookie_name(participant.course_id),
        participant.token,
        salt=PARTICIPANT_SALT,
        max_age=PARTICIPANT_COOKIE_AGE,
        httponly=True,
        secure=not settings.DEBUG,
        samesite="Lax",
    )


def participant_from_request(request, course_id: int) -> Participant | None:
    """The participant this phone joined the course as, or None (no cookie, tampered, or removed)."""
    token = request.get_signed_cookie(participant_cookie_name(course_id), default=None, salt=PARTICIPANT_SALT)
    if not token:
        return None
    return Participant.objects.select_related("course").filter(course_id=course_id, token=token).first()


def participant_required(view):
    """Replace the URL's course id by the phone's Participant; without one, send the phone to the join page."""

    @wraps(view)
    def wrapper(request, course_id, *args, **kwargs):
        participant = participant_from_request(request, course_id)
        if participant is None:
            if request.method != "GET" or getattr(request, "htmx", False):
                raise PermissionDenied
            course = get_object_or_404(Course, pk=course_id)
            return redirect(reverse("dialogue:join_code", args=[course.join_code]))
        landing = reverse("dialogue:participant_home", args=[course_id])
        refused = _refused_when_closed(request, view, participant.course.phase, landing)
        if refused is not None:
            return refused
        return view(request, participant, *args, **kwargs)

    return wrapper
