from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..decorators import member_required
from ..models import AgendaPhase, Course, CoursePhase, Role, fill_placeholders


@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
@login_required
def home(request):
    courses = (
        Course.objects.visible_to(request.user)
        .select_related("workplace", "chosen_touchpoint", "proposed_touchpoint")
        .order_by("-created_at")
    )
    by_phase = {phase: [] for phase in CoursePhase}
    for course in courses:
        by_phase[CoursePhase(course.phase)].append(course)
    memberships = request.user.memberships.select_related("workplace").order_by("workplace__name", "role")
    return render(
        request,
        "sessions/home.html",
        {
            "phases": [(phase, by_phase[phase]) for phase in CoursePhase if by_phase[phase]],
            "memberships": memberships,
            "is_facilitator": any(m.role == Role.FACILITATOR for m in memberships),
        },
    )


@require_GET
@member_required
def course_detail(request, course):
    course = Course.objects.with_template().prefetch_related("tool__materials").get(pk=course.pk)
    values = course.placeholders()
    agenda = course.agenda()
    for entry in agenda:
        entry.prompts = [
            (activity, fill_placeholders(course.prompt_text(activity), values)) for activity in entry.activities.all()
        ]
    return render(
        request,
        "sessions/course_detail.html",
        {
            "course": course,
            "kickoff_agenda": [entry for entry in agenda if entry.phase == AgendaPhase.KICKOFF],
            "meeting_agenda": [entry for entry in agenda if entry.phase == AgendaPhase.FOLLOWUP],
            "can_manage": course.is_managed_by(request.user),
            "participant_count": course.participants.taking_part().count(),
            "phases": list(CoursePhase),
            "photos": course.photos.all(),
        },
    )


@require_GET
def accessibility(request):
    return render(request, "sessions/accessibility.html")
