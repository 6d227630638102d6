"""The follow-up meeting (issue 5): facilitator dashboard, presenter view and phone screens.

Polled partials answer 304 while the meeting's signature (and, on a phone, its participant) is
unchanged, so sixty phones polling every two seconds cost one small query each.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from borgerblik.inputs import id_or_none, parse_id
from interviews.models import ReflectionSheet

from .. import meeting as svc
from ..decorators import facilitator_required, member_required, participant_required
from ..models import AgendaPhase, Card, Group, GroupKind, Participant, Zone, fill_placeholders

POLL_SECONDS = 2


def _conditional(request, tag: str, render_response):
    """Answer 304 when the screen already shows this state (in this language), else render with the ETag."""
    etag = f'"{tag}-{get_language()}"'
    response = HttpResponse(status=304) if etag in request.headers.get("If-None-Match", "") else render_response()
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


def _meeting_context(course, *, with_prompts: bool = False) -> dict:
    meeting = svc.meeting_of(course)
    activity = meeting.activity
    item = activity.agenda_item if activity else None
    activities = svc.meeting_activities(course)
    agenda = course.agenda(AgendaPhase.FOLLOWUP)
    if meeting.started_at:
        # Clock times from when the meeting actually started.
        begins = timezone.localtime(meeting.started_at)
        for entry in agenda:
            entry.begins = begins
            entry.ends = begins = begins + timezone.timedelta(minutes=entry.duration_minutes)
    values = course.placeholders()
    for entry in agenda:
        entry.steps = [a for a in activities if a.agenda_item_id == entry.item.pk]
        entry.is_current = item is not None and entry.item.pk == item.pk
        if with_prompts:
            entry.prompts = [(a, fill_placeholders(course.prompt_text(a), values)) for a in entry.steps]
    key = activity.key if activity else ""
    groups_kind = GroupKind.PAIR if item and item.number >= 5 else GroupKind.SURPRISES
    groups = list(
        Group.objects.filter(course=course, kind=groups_kind)
        .prefetch_related(Prefetch("members", queryset=Participant.objects.order_by("pk")), "surprises")
        .order_by("number")
    )
    cards = list(svc.visible_cards(course))
    sequence = [c for c in cards if c.zone == Zone.NEGATIVE] + [c for c in cards if c.zone == Zone.POSITIVE]
    index = svc.read_index(sequence, key, meeting.read_position) if key in svc.READ_KEYS else None
    reading = sequence[index] if index is not None else None
    presenting = None
    if key == "surprise_roundup":
        with_members = [g for g in groups if g.members.all()]
        if with_members:
            presenting = with_members[min(meeting.read_position, len(with_members) - 1)]
            presenting.position, presenting.total = with_members.index(presenting) + 1, len(with_members)
    participants = list(course.participants.taking_part().order_by("pk"))
    present = [p for p in participants if p.present]
    sheets = ReflectionSheet.objects.of_course(course).handed_in()
    return {
        "course": course,
        "meeting": meeting,
        "activity": activity,
        "item": item,
        "key": key,
        "agenda": agenda,
        "timer": svc.timer_state(meeting),
        "prompt": fill_placeholders(course.prompt_text(activity), values) if activity else "",
        "negatives": [c for c in cards if c.zone == Zone.NEGATIVE],
        "positives": [c for c in cards if c.zone == Zone.POSITIVE],
        "card_count": len(cards),
        "reading": reading,
        "reading_number": sequence.index(reading) + 1 if reading else 0,
        "reading_total": len(sequence),
        "groups": groups,
        "groups_kind": groups_kind,
        "presenting": presenting,
        "ended": meeting.ended_at is not None,
        "participants": participants,
        "present_count": len(present),
        "zone_counts": {z: sum(1 for p in present if p.zone == z) for z in Zone.values},
        "unzoned": sum(1 for p in present if not p.zone),
        "proposals": list(svc.ranked_proposals(course)),
        "sheet_count": sheets.count(),
        "sheet_people": sheets.values("participant").distinct().count(),
        "inspiration": svc.INSPIRATION,
        "poll_seconds": POLL_SECONDS,
        "is_last": bool(activities) and activity is not None and activities[-1].pk == activity.pk,
    }


# --- facilitator -------------------------------------------------------------------------------


# The parts of the dashboard an htmx press is answered with: the live region, or the form it came from.
WRITE_REGIONS = {"card_add": "write-card", "proposal_add": "write-proposal", "surprise_add": "write-surprise"}


def _dashboard(request, course, status=200, partial: str = "", **extra):
    context = _meeting_context(course, with_prompts=True)
    context["all_cards"] = list(
        Card.objects.filter(course=course, merged_into__isnull=True)
        .annotate(merged_count=Count("merged_cards"))
        .order_by("zone", "created_at", "pk")
    )
    context["zones"] = Zone.choices
    context["fresh_key"], context["fresh_key2"] = svc.uuid.uuid4(), svc.uuid.uuid4()
    context["fresh_key3"] = svc.uuid.uuid4()
    context["surprise_groups"] = list(Group.objects.filter(course=course, kind=GroupKind.SURPRISES).order_by("number"))
    context.update(extra)
    template = "sessions/meeting/dashboard.html"
    if request.htmx:
        template += f"#{partial or 'live'}"
    return render(request, template, context, status=status)


@require_GET
@facilitator_required
def dashboard(request, course):
    return _dashboard(request, course)


@require_GET
@facilitator_required
def dashboard_live(request, course):
    return _conditional(request, f"d{svc.meeting_signature(course.pk)}", lambda: _dashboard(request, course))


_int = parse_id  # a 400 with the dashboard and the typed text kept, never a 500


CONTROLS = {
    "start": lambda c, u, p: svc.meeting_start(course=c, by=u),
    "end": lambda c, u, p: svc.meeting_end(course=c, by=u),
    "reopen": lambda c, u, p: svc.meeting_reopen(course=c, by=u),
    "next": lambda c, u, p: svc.meeting_go(course=c, by=u, step="next"),
    "back": lambda c, u, p: svc.meeting_go(course=c, by=u, step="back"),
    "item": lambda c, u, p: svc.meeting_go(course=c, by=u, step="item"),
    "pause": lambda c, u, p: svc.timer_pause(course=c, by=u),
    "resume": lambda c, u, p: svc.timer_resume(course=c, by=u),
    "plus1": lambda c, u, p: svc.timer_extend(course=c, by=u, minutes=1),
    "plus5": lambda c, u, p: svc.timer_extend(course=c, by=u, minutes=5),
    "reveal": lambda c, u, p: svc.cards_reveal(course=c, by=u, revealed=True),
    "conceal": lambda c, u, p: svc.cards_reveal(course=c, by=u, revealed=False),
    "read_next": lambda c, u, p: svc.read_move(course=c, by=u, delta=1),
    "read_prev": lambda c, u, p: svc.read_move(course=c, by=u, delta=-1),
    "zones_fill": lambda c, u, p: svc.zones_assign(course=c, by=u),
    "zones_reshuffle": lambda c, u, p: svc.zones_assign(course=c, by=u, reshuffle=True),
    "zone_move": lambda c, u, p: svc.zone_move(course=c, by=u, participant_id=_int(p.get("participant"))),
    "absent": lambda c, u, p: svc.participant_set_present(
        course=c, by=u, participant_id=_int(p.get("participant")), present=False
    ),
    "present": lambda c, u, p: svc.participant_set_present(
        course=c, by=u, participant_id=_int(p.get("participant")), present=True
    ),
    "groups_form": lambda c, u, p: svc.groups_form(course=c, by=u, kind=GroupKind.SURPRISES),
    "groups_fill": lambda c, u, p: svc.groups_fill(course=c, by=u, kind=GroupKind.SURPRISES),
    "pairs_form": lambda c, u, p: svc.groups_form(course=c, by=u, kind=GroupKind.PAIR),
    "pairs_fill": lambda c, u, p: svc.groups_fill(course=c, by=u, kind=GroupKind.PAIR),
    "card_hide": lambda c, u, p: svc.card_moderate(course=c, by=u, card_id=_int(p.get("card")), action="hide"),
    "card_star": lambda c, u, p: svc.card_moderate(course=c, by=u, card_id=_int(p.get("card")), action="star"),
    "merge": lambda c, u, p: svc.cards_merge(course=c, by=u, card_ids=[_int(v) for v in p.getlist("cards")]),
    "card_add": lambda c, u, p: svc.card_post(
        course=c, by=u, text=p.get("text", ""), zone=p.get("zone", ""), client_key=p.get("client_key")
    ),
    "proposal_add": lambda c, u, p: svc.proposal_post(
        course=c, by=u, text=p.get("text", ""), client_key=p.get("client_key")
    ),
    "surprise_add": lambda c, u, p: svc.surprise_on_behalf(
        course=c, by=u, group_id=_int(p.get("group")), text=p.get("text", ""), client_key=p.get("client_key")
    ),
    "dot_add": lambda c, u, p: svc.dot_on_behalf(
        course=c, by=u, proposal_id=_int(p.get("card")), client_key=p.get("client_key")
    ),
    "dot_take": lambda c, u, p: svc.dot_on_behalf(course=c, by=u, proposal_id=_int(p.get("card")), remove=True),
}


@require_POST
@facilitator_required
def control(request, course):
    params = request.POST.copy()
    action, _sep, argument = params.get("action", "").partition(":")
    if argument:  # per-row buttons say which card or proposal: "card_star:12", "dot_add:3"
        params["card"] = argument
    if action not in CONTROLS:
        return HttpResponseBadRequest(_("Ukendt handling."))
    try:
        CONTROLS[action](course, request.user, params)
    except ValidationError as error:
        if request.POST.get("return") == "presenter":
            # A key pressed on the projector at the wrong moment: the projector stays as it is.
            return redirect("dialogue:meeting_presenter", course.pk)
        # Keep what the facilitator typed; say what went wrong next to the form.
        return _dashboard(
            request,
            course,
            status=400,
            partial=WRITE_REGIONS.get(action, ""),
            error=" ".join(error.messages),
            error_action=action,
            error_in_form=action in WRITE_REGIONS,
            typed=request.POST.get("text", ""),
            typed_zone=request.POST.get("zone", ""),
            typed_group=id_or_none(request.POST.get("group")),
        )
    if request.POST.get("return") == "presenter":
        return redirect("dialogue:meeting_presenter", course.pk)
    if request.htmx:
        # Only the region the press came from is swapped; a written card, proposal or surprise also
        # asks the live region to refresh at once.
        response = _dashboard(
            request,
            course,
            partial=WRITE_REGIONS.get(action, ""),
            saved_action=action,
            typed_zone=request.POST.get("zone", ""),  # the next card is often for the same zone
            typed_group=id_or_none(request.POST.get("group")),
        )
        if action in WRITE_REGIONS:
            response["HX-Trigger"] = "meeting-changed"
        return response
    return redirect(reverse("dialogue:meeting", args=[course.pk]) + f"#{request.POST.get('anchor', 'styring')}")


# --- presenter ---------------------------------------------------------------------------------


@require_GET
@member_required
def presenter(request, course):
    context = _meeting_context(course)
    context["can_manage"] = course.is_managed_by(request.user)
    return render(request, "sessions/meeting/presenter.html", context)


@require_GET
@member_required
def presenter_live(request, course):
    return _conditional(
        request,
        f"p{svc.meeting_signature(course.pk)}",
        lambda: render(request, "sessions/meeting/presenter.html#live", _meeting_context(course)),
    )


# --- phones ------------------------------------------------------------------------------------


def _phone_context(participant: Participant, **extra) -> dict:
    course = participant.course
    meeting = svc.meeting_of(course)
    activity = meeting.activity
    key = activity.key if activity else ""
    item_number = activity.agenda_item.number if activity else 0
    kind = GroupKind.PAIR if item_number >= 5 else GroupKind.SURPRISES
    group = (
        Group.objects.filter(course=course, kind=kind, members=participant)
        .prefetch_related(Prefetch("members", queryset=Participant.objects.order_by("pk")), "surprises")
        .first()
    )
    context = {
        "course": course,
        "participant": participant,
        "meeting": meeting,
        "activity": activity,
        "key": key,
        "group": group,
        "mates": [m for m in group.members.all() if m.pk != participant.pk] if group else [],
        "timer": svc.timer_state(meeting),
        "poll_seconds": POLL_SECONDS,
        "ended": meeting.ended_at is not None,
        "step": f"{activity.pk if activity else 0}-{participant.zone}-{group.pk if group else 0}"
        + ("-ended" if meeting.ended_at else ""),
    }
    if key in svc.CARD_KEYS and participant.zone:
        field = "positives" if participant.zone == Zone.POSITIVE else "negatives"
        texts = []
        for sheet in participant.sheets.filter(is_example=False).order_by("pk"):
            texts += [t for t in sheet.items(field) if t.strip() and t not in texts]
        my_cards = list(Card.objects.filter(course=course, author=participant).order_by("pk"))
        context["suggestions"] = [
            (text, key, f"suggestion-{key}")
            for key, text in ((svc.suggestion_key(participant, participant.zone, text), text) for text in texts[:20])
        ]
        context["sent_keys"] = {card.client_key for card in my_cards}
        context["my_cards"] = my_cards
    if key in ("methods", "closing"):
        # In the order they were proposed, never by dots: the list must not re-sort under the thumb of
        # someone placing dots while others do (the projector shows the ranking).
        proposals = list(svc.ranked_proposals(course).order_by("pk"))
        mine = {}
        for proposal_id in participant.dots.values_list("proposal_id", flat=True):
            mine[proposal_id] = mine.get(proposal_id, 0) + 1
        for proposal in proposals:
            proposal.my_dots = mine.get(proposal.pk, 0)
            proposal.slot = f"dot-{proposal.pk}"
        context["proposals"] = proposals
        context["dots_left"] = svc.DOTS_PER_PARTICIPANT - sum(mine.values())
        context["inspiration"] = svc.INSPIRATION
    context["form_shown"] = not meeting.ended_at and (
        (key in svc.CARD_KEYS and bool(participant.zone))
        or (key == "surprise_groups" and group is not None)
        or key == "methods"
    )
    context.setdefault("client_key", svc.uuid.uuid4())
    context.update(extra)
    # Is the form that was just posted on the page for the current step? Then its outcome is said at its button.
    answered = context.get("answered") or ""
    here = {"card_round": ("card", "suggestion-"), "surprise_groups": ("surprise",), "methods": ("proposal", "dot-")}
    context["answered_here"] = context["form_shown"] and any(
        answered == name or (name.endswith("-") and answered.startswith(name)) for name in here.get(key, ())
    )
    return context


@require_GET
@participant_required
def phone(request, participant):
    return render(request, "sessions/meeting/phone.html", _phone_context(participant))


@require_GET
@participant_required
def phone_status(request, participant):
    return _phone_partial(request, participant, "status")


@require_GET
@participant_required
def phone_dots(request, participant):
    """The proposals to vote on, kept current while colleagues add theirs; nothing outside the dot steps."""

    def dots():
        context = _phone_context(participant)
        if "dots_left" not in context:
            return HttpResponse(status=204)  # a poll that arrives after the meeting moved on: keep what is shown
        return render(request, "sessions/meeting/phone.html#dots", context)

    return _conditional(
        request, f"dots{svc.meeting_signature(participant.course_id, cards=False)}-{participant.pk}", dots
    )


def _phone_partial(request, participant, partial: str):
    """A polled part of the phone's page: 304 while nothing it shows has changed."""
    return _conditional(
        request,
        f"{partial}{svc.meeting_signature(participant.course_id, cards=False)}-{participant.pk}",
        lambda: render(request, f"sessions/meeting/phone.html#{partial}", _phone_context(participant)),
    )


@require_GET
@participant_required
def phone_form(request, participant):
    return render(request, "sessions/meeting/phone.html#form", _phone_context(participant))


def _phone_answer(request, participant, error=None, **extra):
    """htmx: only the parts around the form that posted (its outcome at its button, a fresh key, the lists it
    changed), never the field being typed in. Without JavaScript: the page again, or back to it."""
    if error is None and not request.htmx:
        return redirect("dialogue:meeting_phone", participant.course_id)
    context = _phone_context(participant, error=error, **extra)
    template = "sessions/meeting/phone.html" + ("#answer" if request.htmx else "")
    return render(request, template, context, status=400 if error else 200)


def _phone_post(request, participant, write, what, answered: str):
    try:
        write()
    except ValidationError as error:
        return _phone_answer(
            request,
            participant,
            error=" ".join(error.messages),
            typed=request.POST.get("text", ""),
            client_key=request.POST.get("client_key", ""),
            answered=answered,
        )
    return _phone_answer(request, participant, saved=what, answered=answered)


@require_POST
@participant_required
def phone_card(request, participant):
    text, zone, client_key = (request.POST.get(name, "") for name in ("text", "zone", "client_key"))
    suggestion = str(svc.suggestion_key(participant, zone, text)) if zone and text else ""
    return _phone_post(
        request,
        participant,
        lambda: svc.card_post(
            course=participant.course, participant=participant, text=text, zone=zone, client_key=client_key
        ),
        _("Kortet er sendt."),
        f"suggestion-{suggestion}" if client_key and client_key == suggestion else "card",
    )


@require_POST
@participant_required
def phone_surprise(request, participant):
    return _phone_post(
        request,
        participant,
        lambda: svc.surprise_post(
            participant=participant, text=request.POST.get("text", ""), client_key=request.POST.get("client_key")
        ),
        _("Overraskelsen er sendt til gruppen."),
        "surprise",
    )


@require_POST
@participant_required
def phone_proposal(request, participant):
    return _phone_post(
        request,
        participant,
        lambda: svc.proposal_post(
            course=participant.course,
            participant=participant,
            text=request.POST.get("text", ""),
            client_key=request.POST.get("client_key"),
        ),
        _("Forslaget er sendt."),
        "proposal",
    )


@require_POST
@participant_required
def phone_dot(request, participant):
    def write():
        proposal_id = _int(request.POST.get("proposal"))
        if request.POST.get("remove"):
            svc.dot_remove(participant=participant, proposal_id=proposal_id)
        else:
            svc.dot_place(participant=participant, proposal_id=proposal_id, client_key=request.POST.get("client_key"))

    proposal_id = id_or_none(request.POST.get("proposal"))
    return _phone_post(request, participant, write, _("Din prik er gemt."), f"dot-{proposal_id}")
