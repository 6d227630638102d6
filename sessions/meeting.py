"""Services of the follow-up meeting (issue 5): every write validates inside a transaction.

Facilitator controls take `by` (the user) and raise PermissionDenied for anyone who does not
manage the course; phone writes take the Participant the signed cookie names.
"""

import math
import random
import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borgerblik.inputs import validate_no_nul
from borgerblik.privacy import contains_cpr

from .closing import ensure_open
from .models import (
    Activity,
    AgendaPhase,
    Card,
    Course,
    CoursePhase,
    Decision,
    Dot,
    Group,
    GroupKind,
    Meeting,
    MethodProposal,
    Participant,
    Surprise,
    Zone,
)

TEXT_MAX = 280
DOTS_PER_PARTICIPANT = 3
GROUP_SIZE = 4
CARD_KEYS = {"card_round"}
READ_KEYS = {"read_negative", "read_positive"}
INSPIRATION = [
    gettext_lazy("Smiley-standere ved udgangen eller på skærmen"),
    gettext_lazy("Korte exit-interview, når borgeren er færdig"),
    gettext_lazy("En uafhængig undersøgelse"),
    gettext_lazy("Borgerhøringer"),
    gettext_lazy("Et borgerpanel"),
    gettext_lazy("Fokusgrupper"),
]


# --- reading the state -------------------------------------------------------------------------


def meeting_of(course: Course) -> Meeting:
    meeting = Meeting.objects.select_related("activity__agenda_item").filter(course=course).first()
    return meeting or Meeting(course=course)


def meeting_activities(course: Course) -> list[Activity]:
    """The follow-up meeting's activities in the order they are run."""
    return list(
        Activity.objects.filter(agenda_item__tool_id=course.tool_id, agenda_item__phase=AgendaPhase.FOLLOWUP)
        .select_related("agenda_item")
        .order_by("agenda_item__number", "position")
    )


def timer_state(meeting: Meeting) -> dict:
    """Deadlines (epoch milliseconds) the screens count down to; remaining seconds while paused."""
    if meeting.ended_at:
        return {"running": False, "started": False, "ended": True}
    if not meeting.item_started_at or not meeting.activity_id:
        return {"running": False, "started": False}
    item = meeting.activity.agenda_item
    deadline = meeting.item_started_at + timedelta(minutes=item.duration_minutes + meeting.extra_minutes)
    state = {"started": True, "running": meeting.paused_at is None, "minutes": item.duration_minutes}
    now = meeting.paused_at or timezone.now()
    state["deadline"] = int(deadline.timestamp() * 1000)
    state["remaining"] = int((deadline - now).total_seconds())
    if meeting.activity.timer_minutes and meeting.sub_started_at:
        sub = meeting.sub_started_at + timedelta(minutes=meeting.activity.timer_minutes)
        state["sub_deadline"] = int(sub.timestamp() * 1000)
        state["sub_remaining"] = int((sub - now).total_seconds())
    return state


def visible_cards(course: Course, zone: str | None = None):
    """Cards still standing (not merged into another, not hidden), each with its merged count."""
    cards = (
        Card.objects.filter(course=course, merged_into__isnull=True, hidden=False)
        .annotate(merged_count=Count("merged_cards"))
        .order_by("created_at", "pk")
    )
    return cards.filter(zone=zone) if zone else cards


def read_sequence(course: Course) -> list[Card]:
    """Read-aloud order: every negative card, then every positive one."""
    cards = list(visible_cards(course))
    return [c for c in cards if c.zone == Zone.NEGATIVE] + [c for c in cards if c.zone == Zone.POSITIVE]


READ_ZONES = {"read_negative": Zone.NEGATIVE, "read_positive": Zone.POSITIVE}


def read_index(sequence: list[Card], key: str, position: int) -> int | None:
    """The card read aloud in this step: the one at `position`, kept within the step's own zone (cards
    hidden or merged meanwhile may have shifted the sequence); None when the zone has no cards."""
    within = [i for i, card in enumerate(sequence) if card.zone == READ_ZONES.get(key)]
    return min(max(position, within[0]), within[-1]) if within else None


def roundup_groups(course: Course) -> list[Group]:
    """The surprise groups in the order they present in the round-up (only those with members)."""
    return list(
        Group.objects.filter(course=course, kind=GroupKind.SURPRISES, members__isnull=False)
        .distinct()
        .order_by("number")
    )


def ranked_proposals(course: Course):
    """Proposals by dots; `on_behalf` counts the dots the facilitator placed for people without a phone."""
    return (
        MethodProposal.objects.filter(course=course)
        .annotate(dot_count=Count("dots"), on_behalf=Count("dots", filter=Q(dots__participant__isnull=True)))
        .order_by("-dot_count", "pk")
    )


# --- facilitator controls ----------------------------------------------------------------------


def _managed(course: Course, by) -> None:
    if by is None or not by.is_authenticated or not course.is_managed_by(by):
        raise PermissionDenied
    ensure_open(course)  # a closed course's meeting stays as it ended


def _locked(course: Course) -> Meeting:
    meeting, _created = Meeting.objects.select_for_update().get_or_create(course=course)
    return meeting


def _save(meeting: Meeting, *fields: str) -> Meeting:
    meeting.version = F("version") + 1
    meeting.save(update_fields=[*fields, "version"])
    meeting.refresh_from_db()
    return meeting


def meeting_signature(course_id: int, *, cards: bool = True) -> str:
    """What polling screens compare (their ETag): changes whenever anything they show changes.

    Facilitator controls bump `Meeting.version`; what phones write (cards, surprises, proposals,
    dots) only adds or removes rows, seen here as the newest id and the number of dots. Phones
    therefore never write to one shared row, so a burst of cards does not queue on a row lock.
    One query whatever the number of cards; phones leave cards and newcomers out (they show neither).
    It is the most frequent query of a meeting (every screen, every two seconds), so it is written
    as SQL once instead of being compiled by the ORM on each poll (3.2 ms → well under 1 ms).
    """
    sql = _SIGNATURE_SQL if cards else _PHONE_SIGNATURE_SQL
    with connection.cursor() as cursor:
        cursor.execute(sql, [course_id] * sql.count("%s"))
        row = cursor.fetchone()
    return "-".join(str(value or 0) for value in row)


# Tables as the models name them (tests/test_meeting.py checks they still do).
_PHONE_PARTS = [
    "(SELECT version FROM dialogue_meeting WHERE course_id = %s)",
    "(SELECT MAX(s.id) FROM dialogue_surprise s JOIN dialogue_group g ON s.group_id = g.id WHERE g.course_id = %s)",
    "(SELECT MAX(id) FROM dialogue_methodproposal WHERE course_id = %s)",
    "(SELECT MAX(d.id) FROM dialogue_dot d JOIN dialogue_methodproposal p ON d.proposal_id = p.id"
    " WHERE p.course_id = %s)",
    "(SELECT COUNT(*) FROM dialogue_dot d JOIN dialogue_methodproposal p ON d.proposal_id = p.id"
    " WHERE p.course_id = %s)",
]
# Screens also show the cards and people joining late (the facilitator's and the projector's lists).
_SCREEN_PARTS = [
    "(SELECT MAX(id) FROM dialogue_card WHERE course_id = %s)",
    "(SELECT MAX(id) FROM dialogue_participant WHERE course_id = %s)",
]
SIGNATURE_TABLES = {"meeting", "surprise", "group", "methodproposal", "dot", "card", "participant"}
_PHONE_SIGNATURE_SQL = "SELECT " + ", ".join(_PHONE_PARTS)
_SIGNATURE_SQL = "SELECT " + ", ".join(_PHONE_PARTS + _SCREEN_PARTS)


def meeting_touch(course: Course) -> None:
    """Tell polling screens a facilitator control changed what they show."""
    updated = Meeting.objects.filter(course=course).update(version=F("version") + 1)
    if not updated:
        Meeting.objects.get_or_create(course=course)


def _enter(meeting: Meeting, activity: Activity, now, *, new_item: bool) -> None:
    previous = meeting.activity
    meeting.activity = activity
    if new_item or previous is None:
        meeting.item_started_at = now
        meeting.extra_minutes = 0
        meeting.paused_at = None
    meeting.sub_started_at = now if activity.timer_minutes else None
    if activity.key == "read_negative":
        meeting.read_position = 0
    elif activity.key == "read_positive":
        meeting.read_position = sum(1 for c in read_sequence(meeting.course) if c.zone == Zone.NEGATIVE)
    elif activity.key == "surprise_roundup":
        meeting.read_position = 0
    if activity.key in READ_KEYS:
        meeting.revealed = True


TIMER_FIELDS = ("activity", "started_at", "item_started_at", "sub_started_at", "paused_at", "extra_minutes")
ENDED = gettext_lazy("Mødet er afsluttet. Genåbn det, hvis I skal videre.")
STEP_FIELDS = (*TIMER_FIELDS, "read_position", "revealed")


def meeting_start(*, course: Course, by) -> Meeting:
    """Start the meeting at its first activity (item 2) and its timer."""
    _managed(course, by)
    activities = meeting_activities(course)
    if not activities:
        raise ValidationError(_("Skabelonen har ingen punkter til opsamlingsmødet."))
    with transaction.atomic():
        meeting = _locked(course)
        if meeting.started_at:
            raise ValidationError(_("Mødet er allerede startet."))
        now = timezone.now()
        meeting.started_at = now
        _enter(meeting, activities[0], now, new_item=True)
        if course.phase in (CoursePhase.PREPARATION, CoursePhase.KICKOFF, CoursePhase.INTERVIEWS):
            # Sheets become read-only and the phones' start page points to the meeting.
            course.phase = CoursePhase.MEETING
            course.save(update_fields=["phase", "updated_at"])
        return _save(meeting, *STEP_FIELDS)


def meeting_go(*, course: Course, by, step: str) -> Meeting:
    """Move to the next or previous activity ("next", "back") or the next agenda item ("item")."""
    _managed(course, by)
    activities = meeting_activities(course)
    with transaction.atomic():
        meeting = _locked(course)
        if not meeting.started_at or meeting.activity_id is None:
            raise ValidationError(_("Start mødet først."))
        _running(meeting)
        index = next(i for i, a in enumerate(activities) if a.pk == meeting.activity_id)
        current = activities[index]
        if step == "next":
            target = index + 1
        elif step == "back":
            target = index - 1
        elif step == "item":
            later = [i for i, a in enumerate(activities) if a.agenda_item.number > current.agenda_item.number]
            target = later[0] if later else len(activities)
        else:
            raise ValidationError(_("Ukendt skridt."))
        if target < 0 or target >= len(activities):
            raise ValidationError(_("Der er ikke flere punkter i den retning."))
        activity = activities[target]
        _enter(meeting, activity, timezone.now(), new_item=activity.agenda_item_id != current.agenda_item_id)
        return _save(meeting, *STEP_FIELDS)


def meeting_end(*, course: Course, by) -> Meeting:
    """End the meeting: timers stop, phones say thank you, the course moves on to follow-up."""
    _managed(course, by)
    with transaction.atomic():
        meeting = _locked(course)
        if not meeting.started_at:
            raise ValidationError(_("Start mødet først."))
        if meeting.ended_at:
            raise ValidationError(_("Mødet er allerede afsluttet."))
        meeting.ended_at = meeting.paused_at or timezone.now()
        meeting.paused_at = None
        if course.phase == CoursePhase.MEETING:
            course.phase = CoursePhase.FOLLOWUP
            course.save(update_fields=["phase", "updated_at"])
        return _save(meeting, "ended_at", "paused_at")


def meeting_reopen(*, course: Course, by) -> Meeting:
    """Undo an ending: the current item's timer resumes where it stood when the meeting ended."""
    _managed(course, by)
    with transaction.atomic():
        meeting = _locked(course)
        if not meeting.ended_at:
            raise ValidationError(_("Mødet er ikke afsluttet."))
        _shift_timers(meeting, since=meeting.ended_at)
        meeting.ended_at = None
        if course.phase == CoursePhase.FOLLOWUP:
            course.phase = CoursePhase.MEETING
            course.save(update_fields=["phase", "updated_at"])
        return _save(meeting, "ended_at", "item_started_at", "sub_started_at")


def _running(meeting: Meeting) -> None:
    if meeting.ended_at:
        raise ValidationError(ENDED)


def _shift_timers(meeting: Meeting, *, since) -> None:
    """Move the timers' start forward by the time they stood still (a pause, or an ended meeting)."""
    stood = timezone.now() - since
    if meeting.item_started_at:
        meeting.item_started_at += stood
    if meeting.sub_started_at:
        meeting.sub_started_at += stood


def timer_pause(*, course: Course, by) -> Meeting:
    _managed(course, by)
    with transaction.atomic():
        meeting = _locked(course)
        _running(meeting)
        if not meeting.item_started_at:
            raise ValidationError(_("Timeren kører ikke."))
        if meeting.paused_at:
            raise ValidationError(_("Timeren er allerede sat på pause."))
        meeting.paused_at = timezone.now()
        return _save(meeting, "paused_at")


def timer_resume(*, course: Course, by) -> Meeting:
    _managed(course, by)
    with transaction.atomic():
        meeting = _locked(course)
        if not meeting.paused_at:
            raise ValidationError(_("Timeren er ikke sat på pause."))
        _shift_timers(meeting, since=meeting.paused_at)
        meeting.paused_at = None
        return _save(meeting, "paused_at", "item_started_at", "sub_started_at")


def timer_extend(*, course: Course, by, minutes: int) -> Meeting:
    _managed(course, by)
    if minutes not in (1, 5):
        raise ValidationError(_("Der kan kun lægges 1 eller 5 minutter til."))
    with transaction.atomic():
        meeting = _locked(course)
        _running(meeting)
        if not meeting.item_started_at:
            raise ValidationError(_("Timeren kører ikke."))
        if meeting.extra_minutes + minutes > 60:
            raise ValidationError(_("Punktet kan højst forlænges med en time."))
        meeting.extra_minutes += minutes
        return _save(meeting, "extra_minutes")


def cards_reveal(*, course: Course, by, revealed: bool) -> Meeting:
    _managed(course, by)
    with transaction.atomic():
        meeting = _locked(course)
        meeting.revealed = revealed
        return _save(meeting, "revealed")


def read_move(*, course: Course, by, delta: int) -> Meeting:
    """Move to the next or previous card read aloud, or group presenting in the round-up.

    The step follows the card: reading on past the last negative card goes on to the step that reads the
    positive ones (its heading, prompt and phones' instruction), and back from the first positive card to
    the negatives, so a positive card is never shown under "Gennemgå de negative virkninger"."""
    _managed(course, by)
    with transaction.atomic():
        meeting = _locked(course)
        key = Activity.objects.filter(pk=meeting.activity_id).values_list("key", flat=True).first()
        if key == "surprise_roundup":
            total = len(roundup_groups(course))
            meeting.read_position = max(0, min(total - 1, meeting.read_position + delta)) if total else 0
            return _save(meeting, "read_position")
        if key not in READ_KEYS:
            raise ValidationError(_("Der læses ikke op lige nu."))
        sequence = read_sequence(course)
        if not sequence:
            return meeting
        current = read_index(sequence, key, meeting.read_position)
        start = meeting.read_position if current is None else current
        position = max(0, min(len(sequence) - 1, start + delta))
        wanted = "read_negative" if sequence[position].zone == Zone.NEGATIVE else "read_positive"
        if wanted == key:
            meeting.read_position = position
            return _save(meeting, "read_position")
        onwards = (key, delta > 0) in (("read_negative", True), ("read_positive", False))
        activity = next((a for a in meeting_activities(course) if a.key == wanted), None) if onwards else None
        if activity is None:  # no such step in this template, or not the way of reading: stay on the card
            return meeting
        _enter(meeting, activity, timezone.now(), new_item=activity.agenda_item_id != meeting.activity.agenda_item_id)
        meeting.read_position = position
        return _save(meeting, *STEP_FIELDS)


def _present(course: Course) -> list[Participant]:
    return list(course.participants.in_the_room().order_by("pk"))


def zones_assign(*, course: Course, by, reshuffle: bool = False) -> None:
    """Split present participants into two zones of equal size (±1).

    Without `reshuffle` everyone keeps their zone and only those without one (late arrivals) are
    placed, each in the smaller zone.
    """
    _managed(course, by)
    with transaction.atomic():
        _locked(course)
        present = _present(course)
        if reshuffle:
            random.shuffle(present)
            for i, p in enumerate(present):
                p.zone = Zone.POSITIVE if i % 2 == 0 else Zone.NEGATIVE
        else:
            counts = {z: sum(1 for p in present if p.zone == z) for z in Zone.values}
            for p in present:
                if not p.zone:
                    p.zone = min(Zone.values, key=lambda z: (counts[z], z != Zone.NEGATIVE))
                    counts[p.zone] += 1
        Participant.objects.bulk_update(present, ["zone"])
        course.participants.filter(present=False).exclude(zone="").update(zone="")
        meeting_touch(course)


def zone_move(*, course: Course, by, participant_id: int) -> Participant:
    """Move one participant to the other zone."""
    _managed(course, by)
    with transaction.atomic():
        participant = course.participants.taking_part().select_for_update().filter(pk=participant_id).first()
        if participant is None:
            raise ValidationError(_("Deltageren findes ikke i dette forløb."))
        participant.zone = Zone.POSITIVE if participant.zone == Zone.NEGATIVE else Zone.NEGATIVE
        participant.save(update_fields=["zone"])
        meeting_touch(course)
        return participant


def participant_set_present(*, course: Course, by, participant_id: int, present: bool) -> Participant:
    """Mark someone as gone or back; a leaver drops out of zone and groups so they stay valid."""
    _managed(course, by)
    with transaction.atomic():
        participant = course.participants.taking_part().filter(pk=participant_id).first()
        if participant is None:
            raise ValidationError(_("Deltageren findes ikke i dette forløb."))
        participant.present = present
        fields = ["present"]
        if not present:
            participant.zone = ""
            fields.append("zone")
            participant.groups.remove(*participant.groups.all())
        participant.save(update_fields=fields)
        meeting_touch(course)
        return participant


def group_sizes(count: int, size: int) -> list[int]:
    """Sizes of groups of `size` (pairs: one trio when odd; fours: 3–5 when it does not divide)."""
    if count <= 0:
        return []
    groups = max(1, count // 2) if size == 2 else max(1, math.ceil(count / 5), min(round(count / 4), count // 3))
    base, extra = divmod(count, groups)
    return [base + 1 if i < extra else base for i in range(groups)]


def groups_form(*, course: Course, by, kind: str) -> list[Group]:
    """Form surprise groups of four or pairs from present participants (replacing earlier ones)."""
    _managed(course, by)
    if kind not in GroupKind.values:
        raise ValidationError(_("Ukendt slags gruppe."))
    with transaction.atomic():
        _locked(course)
        present = _present(course)
        if len(present) < 2:
            raise ValidationError(_("Der skal være mindst to deltagere til stede for at danne grupper."))
        random.shuffle(present)
        Group.objects.filter(course=course, kind=kind).delete()
        sizes = group_sizes(len(present), 2 if kind == GroupKind.PAIR else GROUP_SIZE)
        groups = Group.objects.bulk_create(Group(course=course, kind=kind, number=n) for n in range(1, len(sizes) + 1))
        through = Group.members.through
        links, start = [], 0
        for group, size in zip(groups, sizes, strict=True):
            links += [through(group_id=group.pk, participant_id=p.pk) for p in present[start : start + size]]
            start += size
        through.objects.bulk_create(links)
        meeting_touch(course)
        return groups


def groups_fill(*, course: Course, by, kind: str) -> int:
    """Put present participants without a group (late arrivals) into the smallest groups."""
    _managed(course, by)
    with transaction.atomic():
        _locked(course)
        groups = list(Group.objects.filter(course=course, kind=kind).annotate(size=Count("members")).order_by("pk"))
        if not groups:
            raise ValidationError(_("Dan grupperne først."))
        grouped = Group.members.through.objects.filter(group__in=groups).values("participant_id")
        waiting = list(course.participants.in_the_room().exclude(pk__in=grouped).order_by("pk"))
        for participant in waiting:
            smallest = min(groups, key=lambda g: (g.size, g.number))
            smallest.members.add(participant)
            smallest.size += 1
        meeting_touch(course)
        return len(waiting)


def card_moderate(*, course: Course, by, card_id: int, action: str) -> Card:
    """Hide/show or star/unstar a card."""
    _managed(course, by)
    with transaction.atomic():
        card = Card.objects.filter(course=course, pk=card_id).first()
        if card is None:
            raise ValidationError(_("Kortet findes ikke."))
        if action == "hide":
            card.hidden = not card.hidden
        elif action == "star":
            card.starred = not card.starred
        else:
            raise ValidationError(_("Ukendt handling."))
        card.save(update_fields=["hidden", "starred"])
        meeting_touch(course)
        return card


def cards_merge(*, course: Course, by, card_ids: list[int]) -> Card:
    """Merge duplicates into the earliest of them; the kept card shows how many it stands for."""
    _managed(course, by)
    with transaction.atomic():
        cards = list(Card.objects.filter(course=course, pk__in=card_ids, merged_into__isnull=True).order_by("pk"))
        if len(cards) < 2:
            raise ValidationError(_("Vælg mindst to kort, der skal lægges sammen."))
        if len({c.zone for c in cards}) > 1:
            raise ValidationError(_("Kun kort fra samme zone kan lægges sammen."))
        keep, rest = cards[0], [c.pk for c in cards[1:]]
        Card.objects.filter(Q(pk__in=rest) | Q(merged_into__in=rest)).update(merged_into=keep)
        meeting_touch(course)
        return keep


# --- writes from phones (and the facilitator on someone's behalf) ------------------------------


PHONES_CLOSED = gettext_lazy("Mødet er slut, så der kan ikke sendes mere herfra. Tak for i dag.")


def _has_ended(course_id: int) -> bool:
    return Meeting.objects.filter(course_id=course_id, ended_at__isnull=False).exists()


def _open_for_phones(course_id: int) -> None:
    if _has_ended(course_id):
        raise ValidationError(PHONES_CLOSED)


def _clean_text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Skriv %(what)s, før du sender.") % {"what": what})
    if len(text) > TEXT_MAX:
        raise ValidationError(
            _("Teksten er %(length)d tegn. Skriv højst %(max)d tegn.") % {"length": len(text), "max": TEXT_MAX}
        )
    if contains_cpr(text):
        raise ValidationError(
            _("Teksten ser ud til at indeholde et CPR-nummer. Fjern det – borgeren må ikke kunne genkendes.")
        )
    validate_no_nul(text)
    return text


def _key(client_key) -> uuid.UUID:
    try:
        return uuid.UUID(str(client_key))
    except ValueError:
        raise ValidationError(_("Formularen er for gammel. Genindlæs siden og prøv igen.")) from None


def card_post(*, course: Course, text: str, zone: str, client_key, participant=None, by=None) -> tuple[Card, bool]:
    """Store one card; the same client key twice (a double tap) stores it once.

    A phone may only write in its own zone and only while the card round runs; the facilitator
    (`by`) may write a card into either zone on someone's behalf at any time.
    """
    if by is not None:
        _managed(course, by)
    elif participant is None or participant.course_id != course.pk:
        raise PermissionDenied
    ensure_open(course)
    text = _clean_text(text, _("en virkning på kortet"))
    if zone not in Zone.values:
        raise ValidationError(_("Vælg positiv eller negativ zone."))
    key = _key(client_key)
    if by is None:
        if not participant.zone:
            raise ValidationError(_("Du har ikke fået en zone endnu. Vent, til facilitatoren har fordelt jer."))
        if zone != participant.zone:
            raise ValidationError(_("Du kan kun skrive kort i din egen zone."))
        state = Meeting.objects.filter(course=course).values_list("activity__key", "ended_at").first()
        activity_key, ended_at = state or (None, None)
        if ended_at:
            raise ValidationError(PHONES_CLOSED)
        if activity_key not in CARD_KEYS:
            raise ValidationError(_("Kortrunden er ikke i gang. Vent, til facilitatoren starter den."))
    # Two queries on the way in: the meeting's state above and this insert. A double tap meets the
    # unique (course, client key) constraint and gets the card the first tap stored.
    try:
        with transaction.atomic():
            card = Card.objects.create(course=course, author=participant, zone=zone, text=text, client_key=key)
    except IntegrityError:
        return Card.objects.get(course=course, client_key=key), False
    return card, True


def suggestion_key(participant: Participant, zone: str, text: str) -> uuid.UUID:
    """The same suggestion tapped twice is the same card."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"borgerblik:{participant.token}:{zone}:{text}")


def surprise_post(*, participant: Participant, text: str, client_key) -> Surprise:
    course = participant.course
    ensure_open(course)
    _open_for_phones(course.pk)
    text = _clean_text(text, _("en overraskelse"))
    key = _key(client_key)
    group = Group.objects.filter(course=course, kind=GroupKind.SURPRISES, members=participant).first()
    if group is None:
        raise ValidationError(_("Du er ikke i en gruppe endnu. Vent, til facilitatoren har dannet grupperne."))
    surprise, _created = Surprise.objects.get_or_create(
        group=group, client_key=key, defaults={"author": participant, "text": text}
    )
    return surprise


def surprise_on_behalf(*, course: Course, by, group_id: int | None, text: str, client_key) -> Surprise:
    """The facilitator writes down a group's surprise (a group without phones, or one read out loud)."""
    _managed(course, by)
    group = Group.objects.filter(course=course, kind=GroupKind.SURPRISES, pk=group_id).first() if group_id else None
    if group is None:
        raise ValidationError(_("Vælg en af grupperne."))
    text = _clean_text(text, _("gruppens overraskelse"))
    key = _key(client_key)
    surprise, _created = Surprise.objects.get_or_create(group=group, client_key=key, defaults={"text": text})
    return surprise


def proposal_post(*, course: Course, text: str, client_key, participant=None, by=None) -> MethodProposal:
    if by is not None:
        _managed(course, by)
    elif participant is None or participant.course_id != course.pk:
        raise PermissionDenied
    else:
        ensure_open(course)
        _open_for_phones(course.pk)
    text = _clean_text(text, _("dit forslag"))
    key = _key(client_key)
    proposal, _created = MethodProposal.objects.get_or_create(
        course=course, client_key=key, defaults={"author": participant, "text": text}
    )
    return proposal


def _dot_once(proposal: MethodProposal, participant: Participant | None, client_key) -> Dot:
    """The dot this form's key placed on the proposal, placing it if it is not there yet."""
    key = _key(client_key)
    try:
        with transaction.atomic():
            return Dot.objects.create(participant=participant, proposal=proposal, client_key=key)
    except IntegrityError:  # the same tap sent twice at once
        return Dot.objects.get(proposal=proposal, client_key=key)


def dot_place(*, participant: Participant, proposal_id: int, client_key) -> Dot:
    """Put one of the participant's three dots on a proposal; the same tap sent twice places one dot."""
    ensure_open(participant.course)
    _open_for_phones(participant.course_id)
    key = _key(client_key)
    with transaction.atomic():
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        proposal = MethodProposal.objects.filter(course_id=participant.course_id, pk=proposal_id).first()
        if proposal is None:
            raise ValidationError(_("Forslaget findes ikke."))
        placed = Dot.objects.filter(proposal=proposal, participant=participant, client_key=key).first()
        if placed is not None:
            return placed
        if Dot.objects.filter(participant=participant).count() >= DOTS_PER_PARTICIPANT:
            raise ValidationError(_("Du har brugt dine tre prikker. Fjern en prik for at flytte den."))
        return _dot_once(proposal, participant, key)


def dot_remove(*, participant: Participant, proposal_id: int) -> None:
    ensure_open(participant.course)
    _open_for_phones(participant.course_id)
    dot = Dot.objects.filter(participant=participant, proposal_id=proposal_id).order_by("-pk").first()
    if dot is None:
        raise ValidationError(_("Du har ingen prik på det forslag."))
    dot.delete()


def dot_on_behalf(*, course: Course, by, proposal_id: int | None, remove: bool = False, client_key=None) -> None:
    """The facilitator places (or takes back) a dot for someone without a phone; no limit of three, but
    the same click sent twice places one dot."""
    _managed(course, by)
    if _has_ended(course.pk):
        raise ValidationError(ENDED)  # the ranking the leader gets stays as the meeting left it
    proposal = MethodProposal.objects.filter(course=course, pk=proposal_id).first() if proposal_id else None
    if proposal is None:
        raise ValidationError(_("Forslaget findes ikke."))
    if not remove:
        _dot_once(proposal, None, client_key)
        return
    dot = Dot.objects.filter(proposal=proposal, participant__isnull=True).order_by("-pk").first()
    if dot is None:
        raise ValidationError(_("Der er ingen prik sat for en uden telefon på det forslag."))
    dot.delete()


def card_delete(*, participant: Participant, card_id: int) -> Card:
    """A participant takes back a card of their own, until the course is closed.

    The cards merged into it stand on their own again, and a point the follow-up sorted from it goes
    too unless the leader has rewritten it in own words. Screens showing the cards refresh.
    """
    course = participant.course
    ensure_open(course)
    with transaction.atomic():
        card = Card.objects.select_for_update().filter(course=course, author=participant, pk=card_id).first()
        if card is None:
            raise ValidationError(_("Kortet findes ikke."), code="gone")
        source = f"card:{card.pk}"
        Decision.objects.filter(course=course, source=source, text=card.text).delete()
        card.delete()
        Meeting.objects.filter(course=course).update(version=F("version") + 1)
    return card
