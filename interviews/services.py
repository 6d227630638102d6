"""Writes to reflection sheets: create, save a draft or submit, always for the sheet's own participant."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sessions.closing import ensure_open
from sessions.models import Course, CoursePhase, Participant

from .models import ReflectionSheet, SheetStatus

OPEN_PHASES = {CoursePhase.PREPARATION, CoursePhase.KICKOFF, CoursePhase.INTERVIEWS}
LOCKED_MESSAGE = _("Opsamlingsmødet er gået i gang, så arkene kan ikke længere ændres.")
CONFLICT_MESSAGE = _(
    "Arket er blevet ændret et andet sted (måske i en anden fane). Genindlæs siden for at se den nyeste udgave."
)


class SheetConflict(Exception):
    """The save was based on an older revision than the stored one."""


def sheets_editable(course: Course, now=None) -> bool:
    """Sheets can be changed until the follow-up meeting starts."""
    if course.phase not in OPEN_PHASES:
        return False
    return course.meeting_starts_at is None or (now or timezone.now()) < course.meeting_starts_at


def sheet_create(*, participant: Participant, is_example: bool = False) -> ReflectionSheet:
    ensure_open(participant.course)
    if not sheets_editable(participant.course):
        raise ValidationError(LOCKED_MESSAGE, code="locked")
    return ReflectionSheet.objects.create(
        participant=participant, is_example=is_example, interviewed_on=timezone.localdate()
    )


def sheet_save(
    *,
    sheet: ReflectionSheet,
    participant: Participant,
    revision: int,
    interviewed_on,
    experience: int | None,
    answers: dict,
    signed: bool | None = None,
    submit: bool = False,
    client_key: str = "",
) -> ReflectionSheet:
    """Store the phone's copy of the sheet if it was based on the stored revision, or if the same browser
    copy (client_key) made the stored revision – then the phone's copy is the newer one.

    A repeated save of exactly what is stored (a retry whose answer was lost) succeeds without a change,
    so an offline submit retried later is stored once.
    """
    if sheet.participant_id != participant.pk:
        raise ValidationError(_("Arket tilhører en anden deltager."), code="forbidden")
    ensure_open(participant.course)
    if not sheets_editable(participant.course):
        raise ValidationError(LOCKED_MESSAGE, code="locked")
    with transaction.atomic():
        current = ReflectionSheet.objects.select_for_update().get(pk=sheet.pk, participant=participant)
        same = (
            current.interviewed_on == interviewed_on
            and current.experience == experience
            and current.answers == answers
            and (signed is None or current.signed == signed)
        )
        if same and (not submit or current.status == SheetStatus.SUBMITTED):
            return current
        own_latest = bool(client_key) and client_key == current.client_key
        if revision != current.revision and not same and not own_latest:
            raise SheetConflict
        fields = {
            "interviewed_on": interviewed_on,
            "experience": experience,
            "answers": answers,
            "revision": F("revision") + 1,
            "client_key": client_key,
            "updated_at": timezone.now(),
        }
        if signed is not None:
            fields["signed"] = signed
        if submit:
            fields.update(status=SheetStatus.SUBMITTED, submitted_at=current.submitted_at or timezone.now())
        ReflectionSheet.objects.filter(pk=current.pk).update(**fields)
        current.refresh_from_db()
        return current


def sheet_delete(*, sheet: ReflectionSheet, participant: Participant) -> None:
    """A participant deletes a sheet of their own (a draft or handed in), until the course is closed."""
    if sheet.participant_id != participant.pk:
        raise ValidationError(_("Arket tilhører en anden deltager."), code="forbidden")
    ensure_open(participant.course)
    ReflectionSheet.objects.filter(pk=sheet.pk, participant=participant).delete()
