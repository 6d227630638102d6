"""The 20-minute kick-off: the facilitator's view, the presenter screen, and the e-mails that follow."""

import re
import uuid
from datetime import UTC, timedelta

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET, require_POST

from interviews.models import ReflectionSheet, SheetStatus

from .. import followup, mailings, services
from ..decorators import facilitator_required, member_required
from ..forms import ChooseForm, KnownFactsForm, MailingForm, RecruitmentForm, VoteOnBehalfForm
from ..mailings import mail_subject
from ..models import Activity, AgendaPhase, Course, Kickoff, MailingKind, Participant, Proposal, fill_placeholders

MEETING_ICS_NAME = "opsamlingsmoede.ics"


def _join_url(request, course: Course) -> str:
    return request.build_absolute_uri(reverse("dialogue:join_code", args=[course.join_code]))


def _live_etag(request, course, *args, **kwargs) -> str:
    """Changes whenever a vote, proposal, join, choice or timer change bumps the kick-off's revision."""
    revision = Kickoff.objects.filter(course_id=course.pk).values_list("revision", flat=True).first() or 0
    return f"kickoff-{course.pk}-{revision}-{get_language()}"


def _results(course: Course) -> dict:
    """Votes per touchpoint and proposals from the room: a fixed number of queries for any room size."""
    touchpoints = list(
        course.workplace.touchpoints.active().annotate(vote_count=Count("votes", filter=Q(votes__course=course)))
    )
    total = sum(t.vote_count for t in touchpoints)
    leader = max(touchpoints, key=lambda t: t.vote_count, default=None)
    return {
        "touchpoints": touchpoints,
        "total_votes": total,
        "leading": leader if leader and leader.vote_count else None,
        "proposals": list(Proposal.objects.filter(course=course).select_related("touchpoint")),
        "participant_count": course.participants.taking_part().count(),
        # Read only: GET creates no row; an unsaved Kickoff shows the untouched 20 minutes.
        "kickoff": Kickoff.objects.filter(course=course).first() or Kickoff(course=course),
    }


def _live_response(request, template: str, course: Course, **extra) -> HttpResponse:
    response = render(request, template, {"course": course, **_results(course), **extra})
    # Each poll revalidates: the ETag answers 304 while nothing changed.
    response["Cache-Control"] = "private, no-cache"
    return response


def _kickoff_prompts(course: Course) -> list[tuple[Activity, str]]:
    values = course.placeholders()
    activities = Activity.objects.filter(
        agenda_item__tool=course.tool_id, agenda_item__phase=AgendaPhase.KICKOFF
    ).order_by("agenda_item__number", "position")
    return [(activity, fill_placeholders(course.prompt_text(activity), values)) for activity in activities]


def _facilitator_context(request, course: Course, **forms) -> dict:
    voting = course.phase in services.VOTING_PHASES and not course.chosen_touchpoint_id
    return {
        "course": course,
        **_results(course),
        "prompts": _kickoff_prompts(course),
        "choose_form": ChooseForm(course=course),
        "facts_form": forms.get("facts_form") or KnownFactsForm(instance=course),
        "recruitment_form": forms.get("recruitment_form") or RecruitmentForm(instance=course),
        "example": course.example_sheet(),
        "example_url": reverse("interviews:example", args=[course.pk]),
        "on_behalf_key": uuid.uuid4(),
        "join_url": _join_url(request, course),
        "voting": voting,
    }


def _course_for_kickoff(course: Course) -> Course:
    return Course.objects.select_related("workplace", "tool", "chosen_touchpoint", "proposed_touchpoint").get(
        pk=course.pk
    )


@require_GET
@facilitator_required
def facilitator(request, course):
    return render(request, "sessions/kickoff.html", _facilitator_context(request, _course_for_kickoff(course)))


@require_GET
@facilitator_required
@condition(etag_func=_live_etag)
def facilitator_live(request, course):
    voting = course.phase in services.VOTING_PHASES and not course.chosen_touchpoint_id
    return _live_response(request, "sessions/kickoff.html#live", course, voting=voting)


@require_GET
@facilitator_required
def presenter(request, course):
    join_url = _join_url(request, course)
    # segno's SVG of a URL we built ourselves: no user text in it.
    qr_svg = mark_safe(segno.make(join_url, error="m").svg_inline(scale=8, omitsize=True))  # noqa: S308
    return render(
        request,
        "sessions/presenter.html",
        {
            "course": course,
            **_results(course),
            "qr_svg": qr_svg,
            "join_url": join_url,
            "short_join_url": request.build_absolute_uri(reverse("dialogue:join")),
        },
    )


@require_GET
@facilitator_required
@condition(etag_func=_live_etag)
def presenter_live(request, course):
    return _live_response(request, "sessions/presenter.html#live", course)


@require_POST
@facilitator_required
def timer(request, course, action):
    actions = {"start": services.timer_start, "pause": services.timer_pause, "nulstil": services.timer_reset}
    if action not in actions:
        raise Http404
    actions[action](course=course)
    return redirect(f"{reverse('dialogue:kickoff', args=[course.pk])}#timer")


@require_POST
@facilitator_required
def accept(request, course, proposal_id):
    proposal = get_object_or_404(Proposal, pk=proposal_id, course=course)
    touchpoint = services.proposal_accept(proposal=proposal)
    messages.success(request, _("»%(name)s« er sat på listen, så alle kan stemme på det.") % {"name": touchpoint.name})
    return redirect(f"{reverse('dialogue:kickoff', args=[course.pk])}#proposals")


@require_POST
@facilitator_required
def vote_for(request, course):
    """A vote typed in by the facilitator for someone in the room without a phone."""
    form = VoteOnBehalfForm(request.POST, course=course)
    if form.is_valid():
        try:
            services.vote_on_behalf(
                course=course, touchpoint=form.cleaned_data["touchpoint"], client_key=form.cleaned_data["client_key"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Stemmen på »%(name)s« er talt med.") % {"name": form.cleaned_data["touchpoint"].name}
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('dialogue:kickoff', args=[course.pk])}#on-behalf")


@require_POST
@facilitator_required
def choose(request, course):
    form = ChooseForm(request.POST, course=course)
    if form.is_valid():
        try:
            services.touchpoint_choose(course=course, touchpoint=form.cleaned_data["touchpoint"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("I har valgt »%(name)s«. Afstemningen er lukket.") % {"name": course.chosen_touchpoint.name}
            )
            return redirect(f"{reverse('dialogue:kickoff', args=[course.pk])}#after-choice")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('dialogue:kickoff', args=[course.pk])}#choose")


def _course_text_form(request, course, form_class, anchor: str, saved: str):
    form = form_class(request.POST, instance=course)
    if form.is_valid():
        form.save()
        messages.success(request, saved)
        return redirect(f"{reverse('dialogue:kickoff', args=[course.pk])}#{anchor}")
    # Keep what was typed: the page again, with the message beside the text.
    name = "facts_form" if form_class is KnownFactsForm else "recruitment_form"
    context = _facilitator_context(request, _course_for_kickoff(course), **{name: form})
    return render(request, "sessions/kickoff.html", context, status=400)


@require_POST
@facilitator_required
def known_facts(request, course):
    return _course_text_form(request, course, KnownFactsForm, "known-facts", _("Det, I ved i forvejen, er gemt."))


@require_POST
@facilitator_required
def recruitment(request, course):
    return _course_text_form(request, course, RecruitmentForm, "recruitment", _("Aftalen om at finde borgere er gemt."))


# --- E-mails and the calendar invitation ---


def _mail_context(request, course: Course, participant: Participant | None = None) -> dict:
    absolute = request.build_absolute_uri
    return {
        "course": course,
        "touchpoint": course.touchpoint.name if course.touchpoint else "",
        "meeting": timezone.localtime(course.meeting_starts_at) if course.meeting_starts_at else None,
        "join_url": _join_url(request, course),
        "personal_url": absolute(reverse("dialogue:participant_return", args=[participant.token]))
        if participant
        else None,
        "guide_url": absolute(reverse("interviews:guide", args=[course.pk])),
        "sheets_url": absolute(reverse("interviews:sheets", args=[course.pk])),
        "m1_url": absolute(reverse("dialogue:handout", args=[course.join_code, "m1"])),
        "m2_url": absolute(reverse("dialogue:handout", args=[course.join_code, "m2"])),
        "sender": request.user.get_full_name() or request.user.get_username(),
    }


MAIL_TEMPLATES = {
    MailingKind.INVITATION: "sessions/email/invitation.txt",
    MailingKind.REMINDER: "sessions/email/reminder.txt",
    MailingKind.THANKS: "sessions/email/thanks.txt",
}


def mail_body(request, course: Course, kind: str, participant: Participant | None = None, extra=None) -> str:
    """The e-mail's plain text; `extra` is the thank-you's context when it is already at hand.

    The .txt templates render with autoescape off, so what they return holds participants' words
    verbatim and must never reach a page unescaped: it comes back as a plain `str`, not the
    `SafeString` render_to_string gives, so every HTML template escapes it like any other text."""
    context = _mail_context(request, course, participant)
    if kind == MailingKind.THANKS:
        context.update(extra if extra is not None else followup.thanks_context(course))
    return str.__str__(render_to_string(MAIL_TEMPLATES[kind], context, request=request))


def meeting_ics_text(request, course: Course) -> str:
    """An iCalendar (RFC 5545) event for the follow-up meeting."""
    starts = course.meeting_starts_at
    minutes = sum(item.duration_minutes for item in course.tool.agenda_items.filter(phase=AgendaPhase.FOLLOWUP))
    ends = starts + timedelta(minutes=minutes or 60)
    stamp = "%Y%m%dT%H%M%SZ"
    description = _("Opsamling på Borgerens blik: tag dit refleksionsark med. Deltag: %(url)s") % {
        "url": _join_url(request, course)
    }
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Borgerblik//Borgerens blik//DA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:borgerblik-course-{course.pk}-meeting@{request.get_host().split(':')[0]}",
        f"DTSTAMP:{timezone.now().astimezone(UTC).strftime(stamp)}",
        f"DTSTART:{starts.astimezone(UTC).strftime(stamp)}",
        f"DTEND:{ends.astimezone(UTC).strftime(stamp)}",
        f"SUMMARY:{_ics_escape(_('Opsamlingsmøde: %(title)s') % {'title': course.title})}",
        f"LOCATION:{_ics_escape(course.meeting_place)}",
        f"DESCRIPTION:{_ics_escape(description)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_ics_fold(line) + "\r\n" for line in lines)


def _ics_escape(text: str) -> str:
    """RFC 5545 TEXT: line breaks of any kind (also from rows stored before the forms refused them) become
    its \\n, and other control characters, which TEXT cannot hold, are dropped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = re.sub(r"\r\n|[\r\n\u2028\u2029]", r"\\n", text)
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", text)


def _ics_fold(line: str) -> str:
    """Fold lines longer than 75 octets, never inside a UTF-8 character."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def _ics_attachment(request, course: Course) -> tuple[str, str, str] | None:
    if not course.meeting_starts_at:
        return None
    return (MEETING_ICS_NAME, meeting_ics_text(request, course), "text/calendar")


def _messages_for(request, course: Course, kind: str, participants) -> list[EmailMessage]:
    attachment = _ics_attachment(request, course) if kind != MailingKind.THANKS else None
    extra = followup.thanks_context(course) if kind == MailingKind.THANKS else None  # once, not per recipient
    subject = mail_subject(course, kind)
    result = []
    for participant in participants:
        message = EmailMessage(subject, mail_body(request, course, kind, participant, extra), to=[participant.email])
        if attachment:
            message.attach(*attachment)
        result.append(message)
    return result


def participants_with_address(course: Course):
    return course.participants.taking_part().exclude(email="").order_by("pk")


@require_GET
@facilitator_required
def invitation(request, course):
    course = Course.objects.select_related("workplace", "tool", "chosen_touchpoint", "proposed_touchpoint").get(
        pk=course.pk
    )
    recipients = list(participants_with_address(course))
    return render(
        request,
        "sessions/invitation.html",
        {
            "course": course,
            "subject": mail_subject(course, MailingKind.INVITATION),
            "body": mail_body(request, course, MailingKind.INVITATION),
            "recipients": recipients,
            "form": mailing_form(request, course, MailingKind.INVITATION),
            "sent": course.mailings.filter(kind=MailingKind.INVITATION).first(),
        },
    )


def _retry_key(course: Course, kind: str) -> str:
    return f"mailing-retry:{course.pk}:{kind}"


def mailing_form(request, course: Course, kind: str) -> MailingForm:
    """The send button's form. After a sending that left some behind, it carries that sending's key, so
    pressing it again sends to those who are missing and not to those who got it."""
    pending = request.session.get(_retry_key(course, kind))
    return MailingForm(initial={"client_key": pending["key"] if pending else uuid.uuid4()})


def _who(participants) -> str:
    named = [p.display_name for p in participants if p.display_name]
    anonymous = len(participants) - len(named)
    shown = named[:8]
    if len(named) > len(shown):
        others = len(named) - len(shown)
        shown.append(ngettext("%(count)d mere", "%(count)d flere", others) % {"count": others})
    if anonymous:
        text = ngettext("%(count)d anonym deltager", "%(count)d anonyme deltagere", anonymous)
        shown.append(text % {"count": anonymous})
    return ", ".join(shown)


def mailing_post(request, course: Course, kind: str, participants, done_url: str):
    """Send, then say what went out and what did not; those the server did not take can be sent to again."""
    form = MailingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Formularen var for gammel. Prøv igen."))
        return redirect(done_url)
    key = form.cleaned_data["client_key"]
    pending = request.session.get(_retry_key(course, kind))
    got_it = set(pending["sent"]) if pending and pending["key"] == str(key) else None
    participants = [p for p in participants if got_it is None or p.pk not in got_it]
    result = mailings.mailing_send(
        course=course,
        kind=kind,
        client_key=key,
        outgoing=list(zip(participants, _messages_for(request, course, kind, participants), strict=True)),
        user=request.user,
        resuming=got_it is not None,
    )
    if result.busy:
        messages.info(request, _("Mailen er ved at blive sendt. Vent et øjeblik, og hent siden igen."))
        return redirect(done_url)
    if result.repeated:
        messages.info(request, _("Den er allerede sendt – vi sendte den ikke igen."))
        return redirect(done_url)
    if result.failed:
        request.session[_retry_key(course, kind)] = {
            "key": str(key),
            "sent": sorted((got_it or set()) | {p.pk for p in result.sent}),
        }
    else:
        request.session.pop(_retry_key(course, kind), None)
    if result.sent:
        text = ngettext("Sendt til %(count)d deltager.", "Sendt til %(count)d deltagere.", len(result.sent))
        messages.success(request, text % {"count": len(result.sent)})
    if result.failed:
        text = ngettext(
            "Mailen kom ikke af sted til %(count)d deltager (%(who)s): mailserveren svarede ikke eller "
            "afviste den. Prøv at sende igen om lidt – de, der allerede har fået mailen, får den ikke igen.",
            "Mailen kom ikke af sted til %(count)d deltagere (%(who)s): mailserveren svarede ikke eller "
            "afviste dem. Prøv at sende igen om lidt – de, der allerede har fået mailen, får den ikke igen.",
            len(result.failed),
        )
        messages.error(request, text % {"count": len(result.failed), "who": _who(result.failed)})
    if not result.sent and not result.failed:
        messages.warning(request, _("Ingen deltagere har skrevet en e-mail, så intet blev sendt."))
    return redirect(done_url)


@require_POST
@facilitator_required
def invitation_send(request, course):
    return mailing_post(
        request,
        course,
        MailingKind.INVITATION,
        participants_with_address(course),
        reverse("dialogue:invitation", args=[course.pk]),
    )


@require_GET
@member_required
def meeting_ics(request, course):
    if not course.meeting_starts_at:
        raise Http404(_("Opsamlingsmødet har ingen dato endnu."))
    response = HttpResponse(meeting_ics_text(request, course), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{MEETING_ICS_NAME}"'
    return response


def _not_done(course: Course):
    submitted = ReflectionSheet.objects.filter(participant=OuterRef("pk"), status=SheetStatus.SUBMITTED)
    return participants_with_address(course).exclude(Exists(submitted))


@require_GET
@member_required
def interviews(request, course):
    sheets = ReflectionSheet.objects.filter(participant=OuterRef("pk"), is_example=False)
    participants = (
        course.participants.taking_part()
        .annotate(
            has_submitted=Exists(sheets.filter(status=SheetStatus.SUBMITTED)),
            has_draft=Exists(sheets.filter(status=SheetStatus.DRAFT)),
        )
        .order_by("joined_at", "pk")
    )
    participants = list(participants)
    return render(
        request,
        "sessions/interviews.html",
        {
            "course": course,
            "participants": participants,
            "submitted": sum(1 for p in participants if p.has_submitted),
            "drafts": sum(1 for p in participants if p.has_draft and not p.has_submitted),
            "not_done": _not_done(course).count(),
            "can_manage": course.is_managed_by(request.user),
            "form": mailing_form(request, course, MailingKind.REMINDER),
            "last_reminder": course.mailings.filter(kind=MailingKind.REMINDER).first(),
            "reminder_body": mail_body(request, course, MailingKind.REMINDER),
        },
    )


@require_POST
@facilitator_required
def reminder_send(request, course):
    return mailing_post(
        request, course, MailingKind.REMINDER, _not_done(course), reverse("dialogue:interviews", args=[course.pk])
    )
