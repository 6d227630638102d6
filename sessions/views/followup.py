"""Phase 5, the follow-up: sort the meeting's insights into keep · develop · stop, plan prøvehandlinger,
thank the participants. Facilitators and leaders of the workplace may do all of it."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from borgerblik.inputs import BAD_ID_MESSAGE, MalformedInput, parse_id

from .. import followup as svc
from ..decorators import member_required
from ..forms import TrialActionForm
from ..models import CoursePhase, Decision, DecisionKind, MailingKind, TrialAction
from .kickoff import mail_body, mail_subject, mailing_form, mailing_post, participants_with_address

FIELDS = TrialActionForm.Meta.fields


def _page_url(course, anchor: str = "") -> str:
    return reverse("dialogue:followup", args=[course.pk]) + (f"#{anchor}" if anchor else "")


def _key_or_new(raw) -> uuid.UUID:
    """The form's key against a double tap; a garbled one (never sent by the page) makes a point of its own."""
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return uuid.uuid4()


def _already_gone(request, model, pk: int, message: str, url: str):
    """A second tap on remove (or a colleague was first): say so. Another course's row stays a 404."""
    if model.objects.filter(pk=pk).exists():
        raise Http404
    messages.info(request, message)
    return redirect(url)


def _render(request, course, status: int = 200, **extra):
    grouped = course.decisions.grouped()
    decisions = {d.source: d for kind in grouped.values() for d in kind}
    context = {
        "course": course,
        "insights": svc.insights(course, decisions),
        "columns": [(kind, label, grouped[kind]) for kind, label in DecisionKind.choices],
        "kinds": DecisionKind.choices,
        "decision_count": len(decisions),
        "trial_actions": list(course.trial_actions.select_related("decision").order_by("created_at", "pk")),
        "ended": course.phase in (CoursePhase.FOLLOWUP, CoursePhase.CLOSED),
        "can_manage": course.is_managed_by(request.user),
        "write_key": uuid.uuid4(),
        "thanks_subject": mail_subject(course, MailingKind.THANKS),
        "thanks_body": mail_body(request, course, MailingKind.THANKS),
        "recipients": participants_with_address(course).count(),
        "thanks_form": mailing_form(request, course, MailingKind.THANKS),
        "thanks_sent": course.mailings.filter(kind=MailingKind.THANKS).first(),
        **extra,
    }
    return render(request, "sessions/followup.html", context, status=status)


@require_GET
@member_required
def followup(request, course):
    return _render(request, course)


@require_POST
@member_required
def decision_sort(request, course):
    source = request.POST.get("source", "")
    try:
        decision = svc.decision_sort(course=course, source=source, kind=request.POST.get("kind", ""), user=request.user)
    except MalformedInput as error:
        messages.error(request, " ".join(error.messages))
        return _render(request, course, status=400)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_page_url(course, "sorter"))
    messages.success(
        request, _("»%(text)s« står nu under %(kind)s.") % {"text": decision.text, "kind": decision.get_kind_display()}
    )
    return redirect(_page_url(course, svc.anchor_for(source)))


@require_POST
@member_required
def decision_write(request, course):
    kind, text = request.POST.get("kind", ""), request.POST.get("text", "")
    try:
        svc.decision_write(
            course=course,
            kind=kind,
            text=text,
            client_key=_key_or_new(request.POST.get("client_key")),
            user=request.user,
        )
    except ValidationError as error:
        return _render(
            request, course, status=400, write_error=" ".join(error.messages), write_text=text, write_kind=kind
        )
    messages.success(request, _("Punktet er tilføjet."))
    return redirect(_page_url(course, "fus"))


@require_POST
@member_required
def decision_edit(request, course, decision_id):
    decision = course.decisions.shown().filter(pk=decision_id).first()
    if decision is None:
        return _already_gone(
            request, Decision, decision_id, _("Punktet var allerede fjernet."), _page_url(course, "fus")
        )
    if request.POST.get("remove"):
        svc.decision_remove(decision=decision)
        messages.success(request, _("»%(text)s« er fjernet fra listen.") % {"text": decision.text})
        return redirect(_page_url(course, "fus"))
    text, kind = request.POST.get("text", ""), request.POST.get("kind", "")
    try:
        svc.decision_change(decision=decision, kind=kind, text=text)
    except ValidationError as error:
        return _render(
            request,
            course,
            status=400,
            edit_id=decision.pk,
            edit_error=" ".join(error.messages),
            edit_text=text,
            edit_kind=kind,
        )
    messages.success(request, _("Punktet er gemt."))
    return redirect(_page_url(course, "fus"))


@require_http_methods(["GET", "POST"])
@member_required
def trial_action(request, course, action_id=None):
    instance = get_object_or_404(course.trial_actions, pk=action_id) if action_id else None
    initial = {"client_key": uuid.uuid4()}
    chosen, malformed = request.GET.get("beslutning", ""), False
    if instance is None and chosen:
        try:
            initial["decision"] = course.decisions.shown().filter(pk=parse_id(chosen)).first()
        except MalformedInput:
            malformed = request.method == "GET"
        if initial.get("decision"):
            initial["title"] = initial["decision"].text[:160]
    if malformed:
        messages.error(request, BAD_ID_MESSAGE)
    form = TrialActionForm(
        request.POST if request.method == "POST" else None, instance=instance, course=course, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        if instance is None:
            action.course, action.created_by = course, request.user
            action.client_key = form.cleaned_data["client_key"] or uuid.uuid4()
        try:
            with transaction.atomic():
                action.save()
        except IntegrityError:
            first = course.trial_actions.get(client_key=action.client_key)
            if [getattr(first, name) for name in FIELDS] == [getattr(action, name) for name in FIELDS]:
                return redirect(_page_url(course, f"proeve-{first.pk}"))  # the same form sent twice
            action.client_key = uuid.uuid4()  # an old form (the Back button) with new words: a new one
            action.save()
        messages.success(request, _("Prøvehandlingen »%(title)s« er gemt.") % {"title": action.title})
        return redirect(_page_url(course, f"proeve-{action.pk}"))
    return render(
        request,
        "sessions/trial_action_form.html",
        {"course": course, "form": form, "action": instance},
        status=400 if request.method == "POST" or malformed else 200,
    )


@require_POST
@member_required
def trial_action_delete(request, course, action_id):
    action = course.trial_actions.filter(pk=action_id).first()
    if action is None:
        message = _("Prøvehandlingen var allerede slettet.")
        return _already_gone(request, TrialAction, action_id, message, _page_url(course, "proevehandlinger"))
    action.delete()
    messages.success(request, _("Prøvehandlingen »%(title)s« er slettet.") % {"title": action.title})
    return redirect(_page_url(course, "proevehandlinger"))


@require_POST
@member_required
def thanks_send(request, course):
    if course.phase not in (CoursePhase.FOLLOWUP, CoursePhase.CLOSED):
        messages.error(request, _("Takken kan sendes, når opsamlingsmødet er afsluttet."))
        return redirect(_page_url(course, "tak"))
    return mailing_post(
        request, course, MailingKind.THANKS, participants_with_address(course), _page_url(course, "tak")
    )
