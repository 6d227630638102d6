"""Writes that check state: each validates inside a transaction and says what went wrong in Danish."""

import json
import uuid
from pathlib import Path

from django.apps import apps as global_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .closing import ensure_open
from .models import (
    ChecklistItem,
    ChecklistTick,
    Course,
    CoursePhase,
    DialogueTool,
    Kickoff,
    Participant,
    Proposal,
    Touchpoint,
    Vote,
    Workplace,
    new_join_code,
)

TOOLS_DIR = Path(settings.BASE_DIR) / "fixtures"
BORGERENS_BLIK = TOOLS_DIR / "borgerens_blik.json"


def tool_load(path: Path = BORGERENS_BLIK, *, apps=global_apps) -> DialogueTool:
    """Create or update a dialogue tool from its JSON file; running it twice changes nothing.

    `apps` lets a data migration pass its historical models.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))

    def model(name):
        return apps.get_model("dialogue", name)

    with transaction.atomic():
        tool, _ = model("DialogueTool").objects.update_or_create(
            slug=data["slug"],
            defaults={key: data.get(key, "") for key in ("name", "summary", "purpose", "outcome")},
        )
        numbers = []
        for item in data["agenda"]:
            numbers.append(item["number"])
            agenda_item, _ = model("AgendaItem").objects.update_or_create(
                tool=tool,
                number=item["number"],
                defaults={
                    "title": item["title"],
                    "duration_minutes": item["duration_minutes"],
                    "phase": item["phase"],
                    "purpose": item.get("purpose", ""),
                },
            )
            for position, activity in enumerate(item["activities"], start=1):
                model("Activity").objects.update_or_create(
                    agenda_item=agenda_item,
                    position=position,
                    defaults={
                        "key": activity.get("key", ""),
                        "title": activity["title"],
                        "prompt": activity.get("prompt", ""),
                        "participant_instruction": activity.get("participant_instruction", ""),
                        "timer_minutes": activity.get("timer_minutes"),
                    },
                )
            agenda_item.activities.filter(position__gt=len(item["activities"])).delete()
        tool.agenda_items.exclude(number__in=numbers).delete()

        questions = {}
        for question in data["questions"]:
            questions[question["number"]], _ = model("InterviewQuestion").objects.update_or_create(
                tool=tool,
                number=question["number"],
                defaults={"text": question["text"], "help_text": question.get("help_text", "")},
            )
        tool.questions.exclude(number__in=questions).delete()

        keys = []
        for position, field in enumerate(data["sheet_fields"], start=1):
            keys.append(field["key"])
            model("SheetField").objects.update_or_create(
                tool=tool,
                key=field["key"],
                defaults={
                    "position": position,
                    "label": field["label"],
                    "help_text": field.get("help_text", ""),
                    "kind": field["kind"],
                    "question": questions.get(field.get("question")),
                    "max_length": field.get("max_length", 1000),
                    "required": field.get("required", False),
                    "choices": field.get("choices", []),
                },
            )
        tool.sheet_fields.exclude(key__in=keys).delete()

        tool.checklist_items.all().delete()
        model("ChecklistItem").objects.bulk_create(
            model("ChecklistItem")(tool=tool, stage=stage, position=position, text=text)
            for stage, texts in data["checklist"].items()
            for position, text in enumerate(texts, start=1)
        )
        codes = []
        for material in data["materials"]:
            codes.append(material["code"])
            model("Material").objects.update_or_create(
                tool=tool,
                code=material["code"],
                defaults={"title": material["title"], "print_note": material.get("print_note", "")},
            )
        tool.materials.exclude(code__in=codes).delete()
    return tool


def course_create(**fields) -> Course:
    """Create a course with a join code no other course has (retrying the rare collision)."""
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return Course.objects.create(join_code=new_join_code(), **fields)
        except IntegrityError:
            continue
    raise RuntimeError("Could not find a free join code after 10 attempts.")


# --- Issue 3: touchpoints, preparation, joining, voting, the kick-off timer, e-mails ---

TOUCHPOINT_EXAMPLES = [
    ("Booke en tid", "Borgeren bestiller selv en tid på hjemmesiden."),
    ("Tjekke ind på skærmen", "Borgeren melder sin ankomst på en skærm i forhallen."),
    ("Bruge appen", "Borgeren klarer sin sag i kommunens app."),
    ("Finde svar på hjemmesiden", "Borgeren orienterer sig på hjemmesiden før eller i stedet for at ringe."),
    ("Digitalt nyhedsbrev", "Borgeren abonnerer på nyheder fra arbejdspladsen."),
    ("SMS-påmindelser", "Borgeren får en sms før sin aftale."),
]

VOTING_PHASES = {CoursePhase.PREPARATION, CoursePhase.KICKOFF}
JOINABLE_PHASES = {CoursePhase.PREPARATION, CoursePhase.KICKOFF, CoursePhase.INTERVIEWS, CoursePhase.MEETING}


def kickoff_bump(*, course: Course) -> None:
    """Tell polling screens that something they show has changed."""
    updated = Kickoff.objects.filter(course=course).update(revision=F("revision") + 1)
    if not updated:
        Kickoff.objects.get_or_create(course=course, defaults={"revision": 1})


def kickoff_for(course: Course) -> Kickoff:
    kickoff, _created = Kickoff.objects.get_or_create(course=course)
    return kickoff


def touchpoint_save(*, workplace: Workplace, name: str, description: str = "", touchpoint: Touchpoint | None = None):
    """Add or rename a touchpoint; a name the workplace already has is refused."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Skriv et navn på servicemødet."))
    clash = Touchpoint.objects.filter(workplace=workplace, name__iexact=name)
    if touchpoint is not None:
        clash = clash.exclude(pk=touchpoint.pk)
    if clash.exists():
        raise ValidationError(_("Listen har allerede et servicemøde, der hedder »%(name)s«."), params={"name": name})
    with transaction.atomic():
        if touchpoint is None:
            last = workplace.touchpoints.aggregate(last=Max("position"))["last"] or 0
            touchpoint = Touchpoint(workplace=workplace, position=last + 1)
        touchpoint.name = name
        touchpoint.description = description.strip()
        touchpoint.save()
        _screens_of_workplace_bump(workplace)
    return touchpoint


def _screens_of_workplace_bump(workplace: Workplace) -> None:
    """The list is on every kick-off screen of the workplace: let them refresh."""
    Kickoff.objects.filter(course__workplace=workplace).update(revision=F("revision") + 1)


def touchpoint_archive(*, touchpoint: Touchpoint, archived: bool = True) -> Touchpoint:
    with transaction.atomic():
        touchpoint.archived = archived
        touchpoint.save(update_fields=["archived"])
        _screens_of_workplace_bump(touchpoint.workplace)
    return touchpoint


def touchpoints_add_examples(*, workplace: Workplace) -> int:
    """Offer the guide's examples to a workplace; names it already has are skipped."""
    added = 0
    with transaction.atomic():
        have = {name.lower() for name in workplace.touchpoints.values_list("name", flat=True)}
        for name, description in TOUCHPOINT_EXAMPLES:
            if name.lower() not in have:
                touchpoint_save(workplace=workplace, name=name, description=description)
                added += 1
    return added


def checklist_tick(*, course: Course, item: ChecklistItem, done: bool, user=None) -> None:
    ensure_open(course)
    if item.tool_id != course.tool_id:
        raise ValidationError(_("Punktet hører ikke til dette forløbs tjekliste."))
    if done:
        ChecklistTick.objects.get_or_create(course=course, item=item, defaults={"ticked_by": user})
    else:
        ChecklistTick.objects.filter(course=course, item=item).delete()


def course_is_joinable(course: Course) -> bool:
    return course.phase in JOINABLE_PHASES


def participant_join(*, course: Course, display_name: str = "", email: str = "") -> Participant:
    if not course_is_joinable(course):
        raise ValidationError(_("Forløbet er afsluttet, så der kan ikke komme nye deltagere til."))
    with transaction.atomic():
        participant = Participant.objects.create(course=course, display_name=display_name.strip(), email=email)
        kickoff_bump(course=course)
    return participant


def _vote_check(course: Course, touchpoint: Touchpoint) -> None:
    if course.chosen_touchpoint_id or course.phase not in VOTING_PHASES:
        raise ValidationError(_("Afstemningen er slut – servicemødet er valgt."))
    if touchpoint.workplace_id != course.workplace_id or touchpoint.archived:
        raise ValidationError(_("Det servicemøde er ikke på listen."))


def vote_cast(*, participant: Participant, touchpoint: Touchpoint) -> Vote:
    """One vote per participant, changeable until the facilitator confirms the choice."""
    course = participant.course
    _vote_check(course, touchpoint)
    with transaction.atomic():
        vote = Vote.objects.filter(course=course, participant=participant).first()
        if vote is not None and vote.touchpoint_id == touchpoint.pk:
            return vote  # the same vote again changes nothing the screens show
        vote, _created = Vote.objects.update_or_create(
            course=course, participant=participant, defaults={"touchpoint": touchpoint}
        )
        kickoff_bump(course=course)
    return vote


def vote_on_behalf(*, course: Course, touchpoint: Touchpoint, client_key: uuid.UUID | None = None) -> Vote:
    """The facilitator casts the vote of someone without a phone: a vote without a participant, as a dot is,
    so nobody is invented who would be counted, placed in a zone or put in a group. One vote per form key."""
    _vote_check(course, touchpoint)
    with transaction.atomic():
        if client_key is not None:
            vote, created = Vote.objects.get_or_create(
                course=course, client_key=client_key, defaults={"touchpoint": touchpoint}
            )
        else:
            vote, created = Vote.objects.create(course=course, touchpoint=touchpoint), True
        if created:
            kickoff_bump(course=course)
    return vote


def proposal_post(*, course: Course, name: str, participant: Participant | None = None) -> Proposal:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Skriv dit forslag."))
    if course.chosen_touchpoint_id or course.phase not in VOTING_PHASES:
        raise ValidationError(_("Servicemødet er valgt, så der kan ikke komme flere forslag."))
    with transaction.atomic():
        proposal, _created = Proposal.objects.get_or_create(
            course=course, name__iexact=name, defaults={"name": name, "participant": participant}
        )
        kickoff_bump(course=course)
    return proposal


def proposal_accept(*, proposal: Proposal) -> Touchpoint:
    """Put a proposal from the room on the workplace's list (reusing a touchpoint of that name)."""
    course = proposal.course
    ensure_open(course)
    with transaction.atomic():
        touchpoint = Touchpoint.objects.filter(workplace=course.workplace, name__iexact=proposal.name).first()
        if touchpoint is None:
            touchpoint = touchpoint_save(workplace=course.workplace, name=proposal.name)
        elif touchpoint.archived:
            touchpoint_archive(touchpoint=touchpoint, archived=False)
        proposal.touchpoint = touchpoint
        proposal.save(update_fields=["touchpoint"])
        kickoff_bump(course=course)
    return touchpoint


def touchpoint_choose(*, course: Course, touchpoint: Touchpoint) -> Course:
    """Confirm the team's choice: voting closes and the interview period begins."""
    if touchpoint.workplace_id != course.workplace_id:
        raise ValidationError(_("Det servicemøde er ikke på listen."))
    if course.phase not in VOTING_PHASES:
        raise ValidationError(_("Servicemødet er allerede valgt."))
    with transaction.atomic():
        course.chosen_touchpoint = touchpoint
        course.phase = CoursePhase.INTERVIEWS
        course.save(update_fields=["chosen_touchpoint", "phase", "updated_at"])
        kickoff_bump(course=course)
    return course


def timer_start(*, course: Course) -> Kickoff:
    ensure_open(course)
    with transaction.atomic():
        kickoff = Kickoff.objects.select_for_update().get(pk=kickoff_for(course).pk)
        if kickoff.timer_started_at is None:
            kickoff.timer_started_at = timezone.now()
            kickoff.revision += 1
            kickoff.save(update_fields=["timer_started_at", "revision"])
        if course.phase == CoursePhase.PREPARATION:
            course.phase = CoursePhase.KICKOFF
            course.save(update_fields=["phase", "updated_at"])
    return kickoff


def timer_pause(*, course: Course) -> Kickoff:
    ensure_open(course)
    with transaction.atomic():
        kickoff = Kickoff.objects.select_for_update().get(pk=kickoff_for(course).pk)
        if kickoff.timer_started_at is not None:
            kickoff.timer_elapsed = kickoff.elapsed_seconds()
            kickoff.timer_started_at = None
            kickoff.revision += 1
            kickoff.save(update_fields=["timer_elapsed", "timer_started_at", "revision"])
    return kickoff


def timer_reset(*, course: Course) -> Kickoff:
    ensure_open(course)
    with transaction.atomic():
        kickoff = Kickoff.objects.select_for_update().get(pk=kickoff_for(course).pk)
        kickoff.timer_elapsed = 0
        kickoff.timer_started_at = None
        kickoff.revision += 1
        kickoff.save(update_fields=["timer_elapsed", "timer_started_at", "revision"])
    return kickoff
