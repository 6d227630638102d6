"""Preparation: the workplace's touchpoint list, creating a course, and the ticked checklist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services
from ..decorators import facilitator_required, member_required
from ..forms import PLACEHOLDER_NAMES, CourseForm, CourseTextsForm, TouchpointForm
from ..meeting import meeting_touch
from ..models import (
    Activity,
    ChecklistItem,
    ChecklistStage,
    ChecklistTick,
    DialogueTool,
    Role,
    Touchpoint,
    Workplace,
)

PREPARATION_STAGES = [ChecklistStage.BEFORE_KICKOFF, ChecklistStage.BEFORE_MEETING, ChecklistStage.MEETING_DAY]


def _workplace(request, workplace_id: int, *, manage: bool) -> tuple[Workplace, bool]:
    """The workplace for its members (others get 404); `manage` asks for a facilitator (a leader gets 403)."""
    roles = set(request.user.memberships.filter(workplace_id=workplace_id).values_list("role", flat=True))
    if not roles:
        raise Http404(_("Arbejdspladsen findes ikke."))
    can_manage = Role.FACILITATOR in roles
    if manage and not can_manage:
        raise PermissionDenied
    return get_object_or_404(Workplace, pk=workplace_id), can_manage


@require_http_methods(["GET", "POST"])
@login_required
def touchpoints(request, workplace_id):
    workplace, can_manage = _workplace(request, workplace_id, manage=request.method == "POST")
    form = TouchpointForm()
    if request.method == "POST":
        form = TouchpointForm(request.POST)
        if form.is_valid():
            try:
                touchpoint = services.touchpoint_save(workplace=workplace, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("name", error)
            else:
                messages.success(request, _("»%(name)s« er føjet til listen.") % {"name": touchpoint.name})
                return redirect("dialogue:touchpoints", workplace_id=workplace.pk)
    items = list(workplace.touchpoints.all())
    return render(
        request,
        "sessions/touchpoints.html",
        {
            "workplace": workplace,
            "active": [t for t in items if not t.archived],
            "archived": [t for t in items if t.archived],
            "form": form,
            "can_manage": can_manage,
            "examples": services.TOUCHPOINT_EXAMPLES,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def touchpoints_examples(request, workplace_id):
    workplace, _can_manage = _workplace(request, workplace_id, manage=True)
    added = services.touchpoints_add_examples(workplace=workplace)
    messages.success(request, _("%(count)d eksempler er føjet til listen.") % {"count": added})
    return redirect("dialogue:touchpoints", workplace_id=workplace.pk)


@require_http_methods(["GET", "POST"])
@login_required
def touchpoint_edit(request, workplace_id, touchpoint_id):
    workplace, _can_manage = _workplace(request, workplace_id, manage=True)
    touchpoint = get_object_or_404(Touchpoint, pk=touchpoint_id, workplace=workplace)
    form = TouchpointForm(instance=touchpoint)
    if request.method == "POST":
        form = TouchpointForm(request.POST, instance=touchpoint)
        if form.is_valid():
            try:
                services.touchpoint_save(workplace=workplace, touchpoint=touchpoint, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("name", error)
            else:
                messages.success(request, _("Servicemødet er gemt."))
                return redirect("dialogue:touchpoints", workplace_id=workplace.pk)
    return render(
        request,
        "sessions/touchpoint_edit.html",
        {"workplace": workplace, "touchpoint": touchpoint, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def touchpoint_archive(request, workplace_id, touchpoint_id):
    workplace, _can_manage = _workplace(request, workplace_id, manage=True)
    touchpoint = get_object_or_404(Touchpoint, pk=touchpoint_id, workplace=workplace)
    archived = request.POST.get("archived") != "0"
    services.touchpoint_archive(touchpoint=touchpoint, archived=archived)
    if archived:
        messages.success(request, _("»%(name)s« er arkiveret.") % {"name": touchpoint.name})
    else:
        messages.success(request, _("»%(name)s« er tilbage på listen.") % {"name": touchpoint.name})
    return redirect("dialogue:touchpoints", workplace_id=workplace.pk)


def _managed_workplaces(user):
    return Workplace.objects.filter(memberships__user=user, memberships__role=Role.FACILITATOR).distinct()


@require_http_methods(["GET", "POST"])
@login_required
def course_new(request):
    workplaces = list(_managed_workplaces(request.user))
    if not workplaces:
        raise PermissionDenied
    chosen = request.POST.get("workplace") or request.GET.get("arbejdsplads")
    workplace = next((w for w in workplaces if str(w.pk) == str(chosen)), workplaces[0])
    tool = DialogueTool.objects.order_by("pk").first()
    form = CourseForm(workplace=workplace)
    if request.method == "POST":
        form = CourseForm(request.POST, workplace=workplace)
        if form.is_valid():
            course = form.save(commit=False)
            course = services.course_create(
                workplace=workplace,
                tool=tool,
                created_by=request.user,
                **{
                    name: getattr(course, name)
                    for name in (
                        "title",
                        "proposed_touchpoint",
                        "kickoff_starts_at",
                        "kickoff_place",
                        "meeting_starts_at",
                        "meeting_place",
                        "interview_deadline",
                        "anonymous",
                    )
                },
            )
            messages.success(request, _("Forløbet er oprettet. Gå tjeklisten igennem, før I mødes."))
            return redirect("dialogue:checklist", course_id=course.pk)
    return render(
        request,
        "sessions/course_form.html",
        {"form": form, "workplaces": workplaces, "workplace": workplace, "course": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@facilitator_required
def course_edit(request, course):
    form = CourseForm(instance=course, workplace=course.workplace)
    if request.method == "POST":
        form = CourseForm(request.POST, instance=course, workplace=course.workplace)
        if form.is_valid():
            form.save()
            messages.success(request, _("Forløbet er gemt."))
            return redirect("dialogue:course", course_id=course.pk)
    return render(
        request,
        "sessions/course_form.html",
        {"form": form, "course": course, "workplace": course.workplace},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@facilitator_required
def course_texts(request, course):
    """Adjust the two interview questions and the facilitator's prompts for this course."""
    questions = list(course.tool.questions.order_by("number"))
    activities = list(
        Activity.objects.filter(agenda_item__tool=course.tool_id)
        .select_related("agenda_item")
        .exclude(prompt="")
        .order_by("agenda_item__number", "position")
    )
    form = CourseTextsForm(
        request.POST if request.method == "POST" else None, course=course, questions=questions, activities=activities
    )
    if request.method == "POST" and form.is_valid():
        course.texts = form.texts()
        course.save(update_fields=["texts", "updated_at"])
        meeting_touch(course)  # a meeting under way shows the new prompt on its next poll
        messages.success(request, _("Spørgsmål og stikord er gemt for dette forløb."))
        return redirect("dialogue:course_texts", course_id=course.pk)
    sections = [(None, [form[f"question_{q.pk}"] for q in questions], [q.text for q in questions])]
    for activity in activities:
        if not sections[-1][0] or sections[-1][0].pk != activity.agenda_item_id:
            sections.append((activity.agenda_item, [], []))
        sections[-1][1].append(form[f"activity_{activity.pk}"])
        sections[-1][2].append(activity.prompt)
    return render(
        request,
        "sessions/course_texts.html",
        {
            "course": course,
            "form": form,
            "sections": [(item, list(zip(fields, originals, strict=True))) for item, fields, originals in sections],
            "placeholders": PLACEHOLDER_NAMES.items(),
            "changed": len(course.texts),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@member_required
def checklist(request, course):
    ticked = ChecklistTick.objects.filter(course=course, item=OuterRef("pk"))
    items = (
        ChecklistItem.objects.filter(tool=course.tool_id, stage__in=PREPARATION_STAGES)
        .annotate(done=Exists(ticked))
        .order_by("stage", "position")
    )
    stages = [(stage, [item for item in items if item.stage == stage]) for stage in PREPARATION_STAGES]
    return render(
        request,
        "sessions/checklist.html",
        {
            "course": course,
            "stages": stages,
            "can_manage": course.is_managed_by(request.user),
            "materials": course.tool.materials.all(),
            "example": course.example_sheet(),
            "example_url": reverse("interviews:example", args=[course.pk]),
            "done_count": sum(1 for item in items if item.done),
            "total": len(items),
        },
    )


@require_POST
@facilitator_required
def checklist_tick(request, course, item_id):
    item = get_object_or_404(ChecklistItem, pk=item_id, tool=course.tool_id)
    services.checklist_tick(course=course, item=item, done=request.POST.get("done") == "1", user=request.user)
    return redirect(f"{reverse('dialogue:checklist', args=[course.pk])}#item-{item.pk}")
