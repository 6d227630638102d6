"""Joining a course from a phone, and the phone's "what to do now" page (participant_home)."""

import logging
import zlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET, require_http_methods, require_POST

from interviews.models import SheetStatus

from .. import ratelimit, services
from ..decorators import participant_from_request, participant_remember, participant_required
from ..forms import JoinCodeForm, JoinForm, ProposalForm, VoteForm, normalise_join_code
from ..models import Course, CoursePhase, Participant, Touchpoint

logger = logging.getLogger(__name__)

WRONG_CODES_ALLOWED = 10
WRONG_CODES_WINDOW = 10 * 60


def _wrong_codes_key(request) -> str:
    return f"join:wrong:{ratelimit.client_address(request)}"


def too_many_wrong_codes(request) -> bool:
    return ratelimit.count(_wrong_codes_key(request), window=WRONG_CODES_WINDOW) >= WRONG_CODES_ALLOWED


def count_wrong_code(request) -> bool:
    """Count a wrong code from this address; False once it is over the limit of the current ten minutes.
    Counting and checking are one step in the database, so codes sent at once cannot all slip through."""
    return ratelimit.hit(_wrong_codes_key(request), limit=WRONG_CODES_ALLOWED, window=WRONG_CODES_WINDOW)


def focus_first_error(form):
    """A form shown again with errors puts the focus on its first field in error (autofocus: no script
    needed), whose label and message (aria-describedby) are then read out; with only errors that belong to
    no field, the error summary takes the focus instead (sessions/form_errors.html)."""
    for name, field in form.fields.items():
        if name in form.errors:
            field.widget.attrs["autofocus"] = True
            form.focus_on_field = True
            break
    return form


def rate_limited(request) -> HttpResponse:
    return render(request, "sessions/join_limited.html", status=429)


@require_http_methods(["GET", "POST"])
def join(request):
    """Type the code from the projector."""
    if request.method == "POST":
        if too_many_wrong_codes(request):
            return rate_limited(request)
        form = JoinCodeForm(request.POST)
        if form.is_valid():
            course = Course.objects.filter(join_code=form.cleaned_data["code"]).first()
            if course is None:
                if not count_wrong_code(request):
                    return rate_limited(request)
                form.add_error("code", _("Vi kender ikke den kode. Tjek den på skærmen, og prøv igen."))
            elif not services.course_is_joinable(course):
                form.add_error("code", _("Forløbet med den kode er afsluttet, så du kan ikke deltage i det længere."))
            else:
                return redirect("dialogue:join_code", code=course.join_code)
        elif not count_wrong_code(request):
            return rate_limited(request)
    else:
        form = JoinCodeForm()
    return render(request, "sessions/join.html", {"form": focus_first_error(form)})


@require_http_methods(["GET", "POST"])
def join_code(request, code):
    """The QR code's deep link: choose a name (or none) and an optional e-mail, then join."""
    if too_many_wrong_codes(request):
        return rate_limited(request)
    course = Course.objects.select_related("workplace").filter(join_code=normalise_join_code(code)).first()
    if course is None:
        if not count_wrong_code(request):
            return rate_limited(request)
        form = JoinCodeForm(initial={"code": code})
        message = _("Vi kender ikke koden »%(code)s«. Tjek den på skærmen, og skriv den her.") % {"code": code}
        return render(request, "sessions/join.html", {"form": form, "message": message}, status=404)
    if not services.course_is_joinable(course):
        return render(request, "sessions/join_closed.html", {"course": course}, status=410)
    if participant_from_request(request, course.pk) is not None:
        return redirect("dialogue:participant_home", course_id=course.pk)
    if request.method == "POST":
        form = JoinForm(request.POST, require_name=not course.anonymous)
        if form.is_valid():
            participant = services.participant_join(course=course, **form.cleaned_data)
            response = redirect("dialogue:participant_home", course_id=course.pk)
            participant_remember(response, participant)
            messages.success(request, _("Velkommen – du er med i »%(title)s«.") % {"title": course.title})
            if participant.email and not _send_return_link(request, participant):
                messages.warning(request, _return_link_not_mailed(request, participant))
            return response
    else:
        form = JoinForm(require_name=not course.anonymous)
    return render(request, "sessions/join_name.html", {"form": focus_first_error(form), "course": course})


def _return_link(request, participant: Participant) -> str:
    return request.build_absolute_uri(reverse("dialogue:participant_return", args=[participant.token]))


def _send_return_link(request, participant: Participant) -> bool:
    """Mail the personal link; False when the mail server did not take it. Joining goes on either way."""
    context = {"participant": participant, "course": participant.course, "link": _return_link(request, participant)}
    try:
        send_mail(
            _("Dit link til %(title)s") % {"title": participant.course.title},
            render_to_string("sessions/email/return_link.txt", context, request=request),
            None,
            [participant.email],
        )
    except Exception:  # the phone has joined already: whatever the mail server did, it gets its cookie
        logger.warning("The return link for participant %s could not be mailed.", participant.pk, exc_info=True)
        return False
    return True


def _return_link_not_mailed(request, participant: Participant) -> str:
    return _(
        "Vi kunne ikke sende linket til din e-mail. Gem dit personlige link i stedet, så du kan komme "
        "tilbage til forløbet fra en anden telefon eller computer: %(link)s"
    ) % {"link": _return_link(request, participant)}


@require_GET
def participant_return(request, token):
    """The personal link: continue on this device as the same participant."""
    participant = get_object_or_404(Participant.objects.select_related("course"), token=token)
    response = redirect("dialogue:participant_home", course_id=participant.course_id)
    participant_remember(response, participant)
    return response


def _home_context(request, participant: Participant, **extra) -> dict:
    course = (
        Course.objects.select_related("workplace", "chosen_touchpoint", "proposed_touchpoint")
        .only(
            "title",
            "phase",
            "join_code",
            "interview_deadline",
            "meeting_starts_at",
            "meeting_place",
            "workplace__name",
            "chosen_touchpoint__name",
            "proposed_touchpoint__name",
        )
        .get(pk=participant.course_id)
    )
    voting = course.phase in services.VOTING_PHASES and not course.chosen_touchpoint_id
    vote = participant.votes.first()
    touchpoints = list(course.workplace.touchpoints.active()) if voting else []
    context = {
        "participant": participant,
        "course": course,
        "voting": voting,
        "vote": vote,
        "touchpoints": touchpoints,
        "list_version": _list_version(course, touchpoints) if voting else "",
        "return_link": request.build_absolute_uri(reverse("dialogue:participant_return", args=[participant.token])),
        "sheets_url": reverse("interviews:sheets", args=[course.pk]),
        "guide_url": reverse("interviews:guide", args=[course.pk]),
        "proposal_form": ProposalForm(),
    }
    if course.phase == CoursePhase.INTERVIEWS:
        context["sheets"] = participant.sheets.aggregate(
            submitted=Count("pk", filter=Q(status=SheetStatus.SUBMITTED)),
            drafts=Count("pk", filter=Q(status=SheetStatus.DRAFT)),
        )
    context.update(extra)
    return context


@require_GET
@participant_required
def participant_home(request, participant):
    return render(request, "sessions/participant_home.html", _home_context(request, participant))


@require_POST
@participant_required
def participant_vote(request, participant):
    form = VoteForm(request.POST, course=participant.course)
    if form.is_valid():
        try:
            services.vote_cast(participant=participant, touchpoint=form.cleaned_data["touchpoint"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Din stemme på »%(name)s« er gemt. Du kan skifte, indtil valget er truffet.")
                % {"name": form.cleaned_data["touchpoint"].name},
            )
            return redirect("dialogue:participant_home", course_id=participant.course_id)
    context = _home_context(request, participant, vote_form=form)
    return render(request, "sessions/participant_home.html", context, status=400)


@require_POST
@participant_required
def participant_propose(request, participant):
    form = ProposalForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_post(course=participant.course, name=form.cleaned_data["name"], participant=participant)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Tak for dit forslag. Det står nu på skærmen."))
            return redirect("dialogue:participant_home", course_id=participant.course_id)
    context = _home_context(request, participant, proposal_form=focus_first_error(form))
    return render(request, "sessions/participant_home.html", context, status=400)


def _list_version(course: Course, touchpoints) -> str:
    """Changes when the list a phone votes from changes (a proposal put on it, a name, the facilitator's pick)."""
    shown = repr([(t.pk, t.name) for t in touchpoints] + [course.proposed_touchpoint_id])
    return f"{zlib.crc32(shown.encode()):08x}"


def _step(phase: str, chosen) -> str:
    """What the phone's page asks of its participant: vote, or the phase's own step."""
    return "vote" if phase in services.VOTING_PHASES and not chosen else phase


def _status_state(request, participant) -> dict:
    """What the polling phone shows (from its query string) against what it should show now."""
    if not hasattr(request, "_phone_state"):
        course = participant.course
        version = ""
        if request.GET.get("liste") and _step(course.phase, course.chosen_touchpoint_id) == "vote":
            version = _list_version(course, Touchpoint.objects.filter(workplace_id=course.workplace_id).active())
        request._phone_state = {
            "shown": (request.GET.get("fase", ""), request.GET.get("valgt", ""), request.GET.get("liste", "")),
            "now": (course.phase, str(course.chosen_touchpoint_id or ""), version),
        }
    return request._phone_state


def _status_etag(request, participant, *args, **kwargs) -> str:
    state = _status_state(request, participant)
    return f"phone-{participant.course_id}-{'-'.join(state['now'])}-{'-'.join(state['shown'])}-{get_language()}"


@require_GET
@participant_required
@condition(etag_func=_status_etag)
def participant_status(request, participant):
    """Polled by the phone (display only). When the course has moved on since the page was shown, the
    answer also brings the new step and a notice that stays until tapped; when the list to vote from has
    changed, the new list. Nothing the participant is typing is in what it replaces."""
    course = participant.course
    state = _status_state(request, participant)
    (shown_phase, shown_chosen, shown_list), (phase, chosen, version) = state["shown"], state["now"]
    moved = _step(shown_phase, shown_chosen) != _step(phase, chosen)
    if moved or (version and shown_list != version):
        context = _home_context(request, participant, moved=moved, list_changed=not moved)
    else:
        context = {"course": course, "list_version": shown_list}
    response = render(request, "sessions/participant_home.html#status", context)
    response["Cache-Control"] = "private, no-cache"
    return response
