"""Workplaces, dialogue templates as data, and the courses run from them."""

import re
import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat, Lower
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

# No 0/O, 1/l/I: a code read off a projector is typed on a phone.
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def new_participant_token() -> str:
    return secrets.token_urlsafe(18)


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    LEADER = "leader", _("Leder")


class Workplace(models.Model):
    name = models.CharField(_("navn"), max_length=200)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="workplaces")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("arbejdsplads")
        verbose_name_plural = _("arbejdspladser")

    def __str__(self):
        return self.name


class Membership(models.Model):
    workplace = models.ForeignKey(Workplace, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    role = models.CharField(_("rolle"), max_length=12, choices=Role)

    class Meta:
        ordering = ["workplace", "role", "user"]
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")
        constraints = [
            models.UniqueConstraint(fields=["workplace", "user", "role"], name="dialogue_membership_once"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.workplace}"


class TouchpointQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived=False)


class Touchpoint(models.Model):
    """A digital touchpoint (digitalt servicemøde) through which citizens meet the workplace."""

    workplace = models.ForeignKey(Workplace, models.CASCADE, related_name="touchpoints")
    name = models.CharField(_("navn"), max_length=120)
    description = models.CharField(_("kort beskrivelse"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("placering"), default=0)
    archived = models.BooleanField(_("arkiveret"), default=False)

    objects = TouchpointQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("digitalt servicemøde")
        verbose_name_plural = _("digitale servicemøder")
        constraints = [
            models.UniqueConstraint("workplace", Lower("name"), name="dialogue_touchpoint_name_once"),
        ]

    def __str__(self):
        return self.name


class DialogueTool(models.Model):
    """A dialogue template (e.g. Borgerens blik): its agenda, questions and sheet are data."""

    slug = models.SlugField(_("kortnavn"), max_length=60, unique=True)
    name = models.CharField(_("navn"), max_length=120)
    summary = models.TextField(_("resumé"), blank=True)
    purpose = models.TextField(_("formål"), blank=True)
    outcome = models.TextField(_("resultat"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("dialogværktøj")
        verbose_name_plural = _("dialogværktøjer")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class AgendaPhase(models.TextChoices):
    KICKOFF = "kickoff", _("Opstartsmøde")
    FOLLOWUP = "followup", _("Opsamlingsmøde")


class AgendaItem(models.Model):
    tool = models.ForeignKey(DialogueTool, models.CASCADE, related_name="agenda_items")
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=120)
    duration_minutes = models.PositiveSmallIntegerField(_("varighed i minutter"))
    phase = models.CharField(_("møde"), max_length=8, choices=AgendaPhase)
    purpose = models.TextField(_("formål"), blank=True)

    class Meta:
        ordering = ["tool", "number"]
        verbose_name = _("programpunkt")
        verbose_name_plural = _("programpunkter")
        constraints = [
            models.UniqueConstraint(fields=["tool", "number"], name="dialogue_agenda_item_number_once"),
            models.CheckConstraint(condition=models.Q(duration_minutes__gt=0), name="dialogue_agenda_item_has_time"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Activity(models.Model):
    """One activity of an agenda item with the facilitator's prompt for it.

    `key` names the activity for the screens that drive it (e.g. "vote", "card_round");
    `prompt` may hold placeholders such as {touchpoint}, filled in per course.
    """

    agenda_item = models.ForeignKey(AgendaItem, models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField(_("placering"))
    key = models.SlugField(_("nøgle"), max_length=40, blank=True)
    title = models.CharField(_("aktivitet"), max_length=200)
    prompt = models.TextField(_("stikord til facilitator"), blank=True)
    participant_instruction = models.CharField(_("besked til deltagerne"), max_length=200, blank=True)
    timer_minutes = models.PositiveSmallIntegerField(_("deltimer i minutter"), null=True, blank=True)

    class Meta:
        ordering = ["agenda_item", "position"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "position"], name="dialogue_activity_position_once"),
        ]

    def __str__(self):
        return self.title


class InterviewQuestion(models.Model):
    tool = models.ForeignKey(DialogueTool, models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField(_("nummer"))
    text = models.CharField(_("spørgsmål"), max_length=300)
    help_text = models.CharField(_("hjælpetekst"), max_length=300, blank=True)

    class Meta:
        ordering = ["tool", "number"]
        verbose_name = _("interviewspørgsmål")
        verbose_name_plural = _("interviewspørgsmål")
        constraints = [
            models.UniqueConstraint(fields=["tool", "number"], name="dialogue_question_number_once"),
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"


class FieldKind(models.TextChoices):
    DATE = "date", _("Dato")
    TEXT = "text", _("Kort tekst")
    LONG_TEXT = "long_text", _("Lang tekst")
    ITEMS = "items", _("Liste af korte punkter")
    CHOICE = "choice", _("Valg")
    SCALE = "scale", _("Skala 1–5")


class Experience(models.IntegerChoices):
    """The five points of a "scale" field (the citizen's overall experience), worded once for the phone's
    sheet, the overview, the PDFs and the export."""

    VERY_BAD = 1, _("Meget dårlig")
    BAD = 2, _("Dårlig")
    NEUTRAL = 3, _("Hverken god eller dårlig")
    GOOD = 4, _("God")
    VERY_GOOD = 5, _("Meget god")


class SheetField(models.Model):
    """A field of the reflection sheet (M2).

    Keys the product relies on: "positives" and "negatives" (items that become card
    suggestions), "surprises", "learnings" and "experience" (the five-point scale).
    """

    tool = models.ForeignKey(DialogueTool, models.CASCADE, related_name="sheet_fields")
    key = models.SlugField(_("nøgle"), max_length=40)
    position = models.PositiveSmallIntegerField(_("placering"))
    label = models.CharField(_("overskrift"), max_length=200)
    help_text = models.CharField(_("hjælpetekst"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=FieldKind)
    question = models.ForeignKey(InterviewQuestion, models.SET_NULL, null=True, blank=True, related_name="sheet_fields")
    max_length = models.PositiveSmallIntegerField(_("højst antal tegn"), default=1000)
    required = models.BooleanField(_("skal udfyldes"), default=False)
    choices = models.JSONField(_("valgmuligheder"), default=list, blank=True)

    class Meta:
        ordering = ["tool", "position"]
        verbose_name = _("felt på refleksionsark")
        verbose_name_plural = _("felter på refleksionsark")
        constraints = [
            models.UniqueConstraint(fields=["tool", "key"], name="dialogue_sheet_field_key_once"),
        ]

    def __str__(self):
        return self.label


class ChecklistStage(models.TextChoices):
    BEFORE_KICKOFF = "before_kickoff", _("Inden første møde")
    BEFORE_MEETING = "before_meeting", _("Inden opsamlingsmødet")
    MEETING_DAY = "meeting_day", _("På dagen")
    INTERVIEW = "interview", _("Gode råd til interviewet")
    FOLLOWUP = "followup", _("Opfølgning")


class ChecklistItem(models.Model):
    tool = models.ForeignKey(DialogueTool, models.CASCADE, related_name="checklist_items")
    stage = models.CharField(_("tidspunkt"), max_length=16, choices=ChecklistStage)
    position = models.PositiveSmallIntegerField(_("placering"))
    text = models.CharField(_("tekst"), max_length=300)

    class Meta:
        ordering = ["tool", "stage", "position"]
        verbose_name = _("tjeklistepunkt")
        verbose_name_plural = _("tjeklistepunkter")
        constraints = [
            models.UniqueConstraint(fields=["tool", "stage", "position"], name="dialogue_checklist_position_once"),
        ]

    def __str__(self):
        return self.text


class Material(models.Model):
    """A printable of the tool (M1–M4)."""

    tool = models.ForeignKey(DialogueTool, models.CASCADE, related_name="materials")
    code = models.CharField(_("kode"), max_length=8)
    title = models.CharField(_("titel"), max_length=120)
    print_note = models.CharField(_("udskrivning"), max_length=200, blank=True)

    class Meta:
        ordering = ["tool", "code"]
        verbose_name = _("materiale")
        verbose_name_plural = _("materialer")
        constraints = [models.UniqueConstraint(fields=["tool", "code"], name="dialogue_material_code_once")]

    def __str__(self):
        return f"{self.code} {self.title}"


class CoursePhase(models.TextChoices):
    PREPARATION = "preparation", _("Forberedelse")
    KICKOFF = "kickoff", _("Opstartsmøde")
    INTERVIEWS = "interviews", _("Interviewperiode")
    MEETING = "meeting", _("Opsamlingsmøde")
    FOLLOWUP = "followup", _("Opfølgning")
    CLOSED = "closed", _("Afsluttet")


class CourseQuerySet(models.QuerySet):
    def with_template(self):
        """Courses with their touchpoints and the tool's agenda and activities in a fixed number of queries."""
        return self.select_related("workplace", "tool", "chosen_touchpoint", "proposed_touchpoint").prefetch_related(
            models.Prefetch(
                "tool__agenda_items",
                queryset=AgendaItem.objects.prefetch_related(
                    models.Prefetch("activities", queryset=Activity.objects.order_by("position"))
                ).order_by("number"),
            )
        )

    def visible_to(self, user):
        """Courses of the workplaces where the user is facilitator or leader."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(workplace__memberships__user=user).distinct()

    def managed_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(workplace__memberships__user=user, workplace__memberships__role=Role.FACILITATOR).distinct()


class Course(models.Model):
    """One run of a dialogue tool at a workplace (a forløb)."""

    workplace = models.ForeignKey(Workplace, models.CASCADE, related_name="courses")
    tool = models.ForeignKey(DialogueTool, models.PROTECT, related_name="courses")
    title = models.CharField(_("titel"), max_length=160)
    phase = models.CharField(_("fase"), max_length=12, choices=CoursePhase, default=CoursePhase.PREPARATION)
    proposed_touchpoint = models.ForeignKey(
        Touchpoint, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("foreslået servicemøde")
    )
    chosen_touchpoint = models.ForeignKey(
        Touchpoint, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("valgt servicemøde")
    )
    join_code = models.CharField(_("deltagerkode"), max_length=JOIN_CODE_LENGTH, unique=True, default=new_join_code)
    kickoff_starts_at = models.DateTimeField(_("opstartsmøde"), null=True, blank=True)
    kickoff_place = models.CharField(_("sted for opstartsmøde"), max_length=200, blank=True)
    interview_deadline = models.DateField(_("frist for interview"), null=True, blank=True)
    meeting_starts_at = models.DateTimeField(_("opsamlingsmøde"), null=True, blank=True)
    meeting_place = models.CharField(_("sted for opsamlingsmøde"), max_length=200, blank=True)
    anonymous = models.BooleanField(
        _("deltagerne er anonyme"), default=True, help_text=_("Deltagerne kan selv vælge at skrive deres navn.")
    )
    known_facts = models.TextField(_("det ved vi i forvejen"), max_length=3000, blank=True)
    recruitment_plan = models.TextField(_("sådan finder vi borgerne"), max_length=2000, blank=True)
    texts = models.JSONField(
        _("tilpassede tekster"),
        default=dict,
        blank=True,
        help_text=_(
            "Forløbets egne udgaver af skabelonens spørgsmål og stikord, efter nøglerne question:<id> og activity:<id>."
        ),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)
    closed_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("forløb")
        verbose_name_plural = _("forløb")

    def __str__(self):
        return self.title

    @property
    def touchpoint(self) -> Touchpoint | None:
        """The chosen touchpoint, or the proposed one until the team has chosen."""
        return self.chosen_touchpoint or self.proposed_touchpoint

    def is_managed_by(self, user) -> bool:
        return self.workplace.memberships.filter(user=user, role=Role.FACILITATOR).exists()

    @property
    def is_closed(self) -> bool:
        """Closed: nothing more is written from phones or pages, and the retention period runs."""
        return self.phase == CoursePhase.CLOSED

    @property
    def purge_after(self) -> datetime | None:
        """When `purge_courses` deletes the course with everything in it (it runs at least daily)."""
        if not self.is_closed or self.closed_at is None:
            return None
        return self.closed_at + timedelta(days=settings.BORGERBLIK_RETENTION_DAYS)

    def has_contributions(self) -> bool:
        """Has anybody written anything in the course: a sheet (a draft too), a card, a surprise, a
        proposal (kick-off or method)? They wrote it under the anonymity the course promised then."""
        return (
            self.participants.filter(sheets__isnull=False).exists()
            or self.cards.exists()
            or self.groups.filter(surprises__isnull=False).exists()
            or self.method_proposals.exists()
            or self.proposals.filter(participant__isnull=False).exists()
        )

    def clean(self):
        """Anonymity may be switched on at any time (names disappear), but not off once anybody has written
        something: their words would carry their names in sheets, exports and PDFs after the fact."""
        super().clean()
        if self.pk and not self.anonymous and self.has_contributions():
            was_anonymous = Course.objects.filter(pk=self.pk, anonymous=True).exists()
            if was_anonymous:
                raise ValidationError(
                    {
                        "anonymous": _(
                            "Forløbet kan ikke længere gøres navngivet: deltagerne har skrevet i tillid til, at de "
                            "var anonyme."
                        )
                    }
                )

    def agenda(self, phase: str | None = None) -> list["ScheduledItem"]:
        """The tool's agenda items with clock times from the meeting they belong to."""
        items = [item for item in self.tool.agenda_items.all() if phase is None or item.phase == phase]
        starts = {AgendaPhase.KICKOFF: self.kickoff_starts_at, AgendaPhase.FOLLOWUP: self.meeting_starts_at}
        offsets: dict[str, timedelta] = {}
        scheduled = []
        for item in items:
            offset = offsets.get(item.phase, timedelta())
            start = starts.get(item.phase)
            begins = timezone.localtime(start) + offset if start else None
            ends = begins + timedelta(minutes=item.duration_minutes) if begins else None
            scheduled.append(ScheduledItem(item, begins, ends))
            offsets[item.phase] = offset + timedelta(minutes=item.duration_minutes)
        return scheduled

    def placeholders(self) -> dict[str, str]:
        """Values for the blanks in the template's prompts and questions."""
        meeting = timezone.localtime(self.meeting_starts_at) if self.meeting_starts_at else None
        values = {
            "touchpoint": self.touchpoint.name if self.touchpoint else "",
            "proposed_touchpoint": self.proposed_touchpoint.name if self.proposed_touchpoint else "",
            "workplace": self.workplace.name,
            "meeting_date": formats.date_format(meeting, "DATE_FORMAT") if meeting else "",
            "meeting_time": formats.time_format(meeting, "TIME_FORMAT") if meeting else "",
            "meeting_place": self.meeting_place,
            "deadline": formats.date_format(self.interview_deadline, "DATE_FORMAT") if self.interview_deadline else "",
            "touchpoint_examples": ", ".join(t.name.lower() for t in self.workplace.touchpoints.active()[:6]),
            # Read from the agenda only where a text asks for it: phones poll texts that do not.
            "programme": lazy(self.programme_text, str)(),
        }
        example = self.example_sheet()
        if example:
            values["own_example"] = example.answers.get("context", "")
            values["own_surprise"] = example.answers.get("surprises", "")
        return values

    def programme_text(self) -> str:
        """The follow-up meeting's items after its introduction with their minutes from the agenda, e.g.
        »Borgernes reaktioner« 20 minutter, »Hvad har overrasket os?« 15 minutter og »Hvad kan vi lære?« 15 minutter."""
        items = [item for item in self.tool.agenda_items.all() if item.phase == AgendaPhase.FOLLOWUP][1:]
        parts = [
            f"»{item.title}« "
            + ngettext("%(minutes)s minut", "%(minutes)s minutter", item.duration_minutes)
            % {"minutes": item.duration_minutes}
            for item in items
        ]
        return str(get_text_list(parts, _("og"))) if parts else ""

    def example_sheet(self):
        """The facilitator's own reflection sheet, marked as the example for the kick-off."""
        from interviews.models import ReflectionSheet  # interviews depends on this module

        return ReflectionSheet.objects.filter(participant__course=self, is_example=True).order_by("pk").first()

    def own_text(self, key: str) -> str:
        texts = self.texts if isinstance(self.texts, dict) else {}  # anything else (set in the admin) is ignored
        value = texts.get(key)
        return value if isinstance(value, str) else ""

    def question_text(self, question: "InterviewQuestion") -> str:
        """The interview question as this course asks it: its own wording, or the template's."""
        return self.own_text(f"question:{question.pk}") or question.text

    def prompt_text(self, activity: "Activity") -> str:
        """The facilitator's prompt for an activity in this course: its own wording, or the template's."""
        return self.own_text(f"activity:{activity.pk}") or activity.prompt

    def fill(self, text: str, extra: dict[str, str] | None = None) -> str:
        return fill_placeholders(text, {**self.placeholders(), **(extra or {})})


class ScheduledItem:
    def __init__(self, item: AgendaItem, begins: datetime | None, ends: datetime | None):
        self.item = item
        self.begins = begins
        self.ends = ends

    def __getattr__(self, name):
        return getattr(self.item, name)


PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
BLANK = "______"


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace {name} by its value; an unknown or empty value leaves the guide's blank line."""

    def value(match) -> str:
        found = values.get(match.group(1))
        return (str(found) if found is not None else "") or BLANK

    return PLACEHOLDER.sub(value, text)


class Zone(models.TextChoices):
    POSITIVE = "positive", _("Positiv")
    NEGATIVE = "negative", _("Negativ")


class ParticipantQuerySet(models.QuerySet):
    def taking_part(self):
        """The people who take part: everyone who joined, not the facilitator, whose own sheet is the example
        shown at the kick-off. The one definition behind every count of participants, the zones, the groups
        and the pairs (a vote for someone without a phone has no participant at all)."""
        return self.filter(user__isnull=True)

    def in_the_room(self):
        """Those taking part who are at the follow-up meeting: they get a zone, a group and a partner."""
        return self.taking_part().filter(present=True)


class Participant(models.Model):
    """A person taking part from a phone, without an account.

    The facilitator's own row (with `user` set) only holds the example sheet; see `taking_part()`.
    """

    course = models.ForeignKey(Course, models.CASCADE, related_name="participants")
    display_name = models.CharField(_("navn"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    token = models.CharField(max_length=32, unique=True, default=new_participant_token, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        help_text=_("Sat når facilitatoren selv deltager."),
    )
    zone = models.CharField(_("zone"), max_length=8, choices=Zone, blank=True)
    present = models.BooleanField(_("til stede"), default=True)
    joined_at = models.DateTimeField(_("tilmeldt"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("sidst set"), null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["course", "joined_at", "pk"]
        verbose_name = _("deltager")
        verbose_name_plural = _("deltagere")

    def __str__(self):
        return str(self.public_name)

    @property
    def public_name(self) -> str:
        return self.display_name or str(_("Anonym deltager"))


class Vote(models.Model):
    """A vote on the touchpoint to examine: one per phone, changeable until the choice is confirmed.

    A vote without a participant was cast by the facilitator for someone without a phone, as a dot is:
    nobody who could be placed in a zone or a group.
    """

    course = models.ForeignKey(Course, models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, models.CASCADE, null=True, blank=True, related_name="votes")
    touchpoint = models.ForeignKey(Touchpoint, models.CASCADE, related_name="votes")
    # Sent by the facilitator's form for a vote on someone's behalf: a double click counts one vote.
    client_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("afgivet"), auto_now=True)

    class Meta:
        verbose_name = _("stemme")
        verbose_name_plural = _("stemmer")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "participant"],
                condition=models.Q(participant__isnull=False),
                name="dialogue_vote_once",
            ),
            models.UniqueConstraint(fields=["course", "client_key"], name="dialogue_vote_on_behalf_once"),
        ]

    def __str__(self):
        return f"{self.participant or _('uden telefon')} → {self.touchpoint}"


class Card(models.Model):
    course = models.ForeignKey(Course, models.CASCADE, related_name="cards")
    author = models.ForeignKey(Participant, models.SET_NULL, null=True, blank=True, related_name="cards")
    zone = models.CharField(_("zone"), max_length=8, choices=Zone)
    text = models.CharField(_("tekst"), max_length=280)
    client_key = models.UUIDField(default=uuid.uuid4)  # sent by the phone; a double tap stores one card
    merged_into = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="merged_cards", verbose_name=_("lagt sammen med")
    )
    hidden = models.BooleanField(_("skjult"), default=False)
    starred = models.BooleanField(_("stjernemarkeret"), default=False)
    created_at = models.DateTimeField(_("skrevet"), auto_now_add=True)

    class Meta:
        ordering = ["course", "created_at", "pk"]
        verbose_name = pgettext_lazy("one card", "kort")
        verbose_name_plural = pgettext_lazy("several cards", "kort")
        constraints = [
            models.UniqueConstraint(fields=["course", "client_key"], name="dialogue_card_once"),
            models.CheckConstraint(condition=models.Q(zone__in=Zone.values), name="dialogue_card_zone_valid"),
        ]

    def __str__(self):
        return self.text


class GroupKind(models.TextChoices):
    SURPRISES = "surprises", _("Gruppe om overraskelser")
    PAIR = "pair", _("Makkerpar")


class Group(models.Model):
    course = models.ForeignKey(Course, models.CASCADE, related_name="groups")
    kind = models.CharField(_("slags"), max_length=10, choices=GroupKind)
    number = models.PositiveSmallIntegerField(_("nummer"))
    members = models.ManyToManyField(Participant, related_name="groups", blank=True)
    notes = models.TextField(_("gruppens punkter"), max_length=3000, blank=True)

    class Meta:
        ordering = ["course", "kind", "number"]
        verbose_name = _("gruppe")
        verbose_name_plural = _("grupper")
        constraints = [
            models.UniqueConstraint(fields=["course", "kind", "number"], name="dialogue_group_number_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


# --- Issue 3: kick-off, preparation checklist, proposals from the room, e-mails ---


class Kickoff(models.Model):
    """The kick-off's live state: the 20-minute timer, and a revision that every change bumps.

    Presenter screens poll with the revision as ETag, so an unchanged poll costs one small query.
    """

    course = models.OneToOneField(Course, models.CASCADE, related_name="kickoff")
    timer_seconds = models.PositiveIntegerField(_("tid på uret i sekunder"), default=20 * 60)
    timer_started_at = models.DateTimeField(_("uret startet"), null=True, blank=True)
    timer_elapsed = models.PositiveIntegerField(_("brugt tid før pause i sekunder"), default=0)
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("opstartsmøde")
        verbose_name_plural = _("opstartsmøder")

    def __str__(self):
        return str(self.course)

    @property
    def running(self) -> bool:
        return self.timer_started_at is not None

    def elapsed_seconds(self, now: datetime | None = None) -> int:
        if self.timer_started_at is None:
            return self.timer_elapsed
        now = now or timezone.now()
        return self.timer_elapsed + max(0, int((now - self.timer_started_at).total_seconds()))

    def remaining_seconds(self, now: datetime | None = None) -> int:
        return max(0, self.timer_seconds - self.elapsed_seconds(now))

    def remaining_clock(self) -> str:
        minutes, seconds = divmod(self.remaining_seconds(), 60)
        return f"{minutes:02d}:{seconds:02d}"


class ChecklistTick(models.Model):
    """A preparation checklist item the facilitator has done for this course."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="checklist_ticks")
    item = models.ForeignKey(ChecklistItem, models.CASCADE, related_name="ticks")
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    ticked_at = models.DateTimeField(_("afkrydset"), auto_now_add=True)

    class Meta:
        verbose_name = _("afkrydset tjeklistepunkt")
        verbose_name_plural = _("afkrydsede tjeklistepunkter")
        constraints = [models.UniqueConstraint(fields=["course", "item"], name="dialogue_checklist_tick_once")]

    def __str__(self):
        return f"{self.course}: {self.item}"


class Proposal(models.Model):
    """A touchpoint proposed from the room; accepting it puts it on the workplace's list and the ballot."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="proposals")
    participant = models.ForeignKey(Participant, models.SET_NULL, null=True, blank=True, related_name="proposals")
    name = models.CharField(_("forslag"), max_length=120)
    touchpoint = models.ForeignKey(
        Touchpoint, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("på listen som")
    )
    created_at = models.DateTimeField(_("foreslået"), auto_now_add=True)

    class Meta:
        ordering = ["course", "created_at", "pk"]
        verbose_name = _("forslag")
        verbose_name_plural = _("forslag")

    def __str__(self):
        return self.name


class MailingKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Påmindelse")
    THANKS = "thanks", _("Tak for indsatsen")


class Mailing(models.Model):
    """One sending of the invitation or reminder; the form's key makes a double click send once."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="mailings")
    kind = models.CharField(_("slags"), max_length=10, choices=MailingKind)
    client_key = models.UUIDField()
    recipients = models.PositiveIntegerField(_("modtagere"), default=0)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    sent_at = models.DateTimeField(_("sendt"), auto_now_add=True)

    class Meta:
        ordering = ["course", "-sent_at"]
        verbose_name = _("udsendelse")
        verbose_name_plural = _("udsendelser")
        constraints = [models.UniqueConstraint(fields=["course", "client_key"], name="dialogue_mailing_once")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.course}"


# --- Issue 6: photos of the card wall ---


def photo_upload_to(instance, filename: str) -> str:
    # Random names: a photo's address says nothing about the course's content or the uploader.
    return f"photos/{instance.course_id}/{uuid.uuid4().hex}.jpg"


class Photo(models.Model):
    """A photo of the physical cards, re-encoded as JPEG without metadata, with a thumbnail."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="photos")
    image = models.FileField(_("foto"), upload_to=photo_upload_to)
    thumbnail = models.FileField(_("miniature"), upload_to=photo_upload_to)
    width = models.PositiveIntegerField(_("bredde"))
    height = models.PositiveIntegerField(_("højde"))
    caption = models.CharField(_("billedtekst"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("uploadet"), auto_now_add=True)

    class Meta:
        ordering = ["course", "created_at", "pk"]
        verbose_name = _("foto")
        verbose_name_plural = _("fotos")

    def __str__(self):
        return self.caption or f"{_('Foto')} {self.pk}"


# --- Issue 5: the follow-up meeting ---


class Meeting(models.Model):
    """The live state of a course's follow-up meeting, shared by every screen and worker.

    The timer runs from `item_started_at` (plus `extra_minutes`); a pause stores `paused_at`, and
    resuming moves the start times forward by the pause, so the screens only need a deadline.
    `read_position` points at the card read aloud in item 3 and at the group presenting in item 4.
    `version` grows on every change, so polling screens answer 304 while nothing happened.
    """

    course = models.OneToOneField(Course, models.CASCADE, related_name="meeting")
    activity = models.ForeignKey(Activity, models.PROTECT, null=True, blank=True, related_name="+")
    started_at = models.DateTimeField(_("mødet startede"), null=True, blank=True)
    item_started_at = models.DateTimeField(_("punktet startede"), null=True, blank=True)
    sub_started_at = models.DateTimeField(_("deltimeren startede"), null=True, blank=True)
    paused_at = models.DateTimeField(_("sat på pause"), null=True, blank=True)
    extra_minutes = models.PositiveSmallIntegerField(_("ekstra minutter"), default=0)
    revealed = models.BooleanField(_("kortene vises"), default=False)
    read_position = models.PositiveSmallIntegerField(_("oplæsning"), default=0)
    ended_at = models.DateTimeField(_("mødet sluttede"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("opsamlingsmøde")
        verbose_name_plural = _("opsamlingsmøder")

    def __str__(self):
        return f"{self.course} – {self.activity or _('ikke startet')}"


class Surprise(models.Model):
    """A point a group of item 4 wrote down about what surprised them."""

    group = models.ForeignKey(Group, models.CASCADE, related_name="surprises")
    author = models.ForeignKey(Participant, models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.CharField(_("tekst"), max_length=280)
    client_key = models.UUIDField(default=uuid.uuid4)
    created_at = models.DateTimeField(_("skrevet"), auto_now_add=True)

    class Meta:
        ordering = ["group", "created_at", "pk"]
        verbose_name = _("overraskelse")
        verbose_name_plural = _("overraskelser")
        constraints = [models.UniqueConstraint(fields=["group", "client_key"], name="dialogue_surprise_once")]

    def __str__(self):
        return self.text


class MethodProposal(models.Model):
    """A proposal of item 5: another way to learn about the citizens' experience."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="method_proposals")
    author = models.ForeignKey(Participant, models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.CharField(_("forslag"), max_length=280)
    client_key = models.UUIDField(default=uuid.uuid4)
    created_at = models.DateTimeField(_("skrevet"), auto_now_add=True)

    class Meta:
        ordering = ["course", "created_at", "pk"]
        verbose_name = _("forslag")
        verbose_name_plural = _("forslag")
        constraints = [models.UniqueConstraint(fields=["course", "client_key"], name="dialogue_method_proposal_once")]

    def __str__(self):
        return self.text


class Dot(models.Model):
    """One of a participant's three dots on a proposal (several may go on the same one).

    A dot without a participant was placed by the facilitator for someone without a phone.
    """

    proposal = models.ForeignKey(MethodProposal, models.CASCADE, related_name="dots")
    participant = models.ForeignKey(Participant, models.CASCADE, null=True, blank=True, related_name="dots")
    # Sent by the form that placed it: the same tap sent twice stores one dot. Empty on dots placed before
    # forms carried a key.
    client_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("sat"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "pk"]
        verbose_name = _("prik")
        verbose_name_plural = _("prikker")
        constraints = [models.UniqueConstraint(fields=["proposal", "client_key"], name="dialogue_dot_once")]

    def __str__(self):
        return f"{self.participant or _('uden telefon')} → {self.proposal}"


# --- Phase 5: the follow-up after the meeting ---


class DecisionKind(models.TextChoices):
    KEEP = "keep", _("Fastholde")
    DEVELOP = "develop", _("Udvikle")
    STOP = "stop", _("Stoppe")


class DecisionQuerySet(models.QuerySet):
    def shown(self):
        """Without the points sorted from a card that was hidden afterwards: hidden means hidden on every
        page, PDF, export and e-mail, also when the card was sorted before it was hidden."""
        hidden_card = (
            Card.objects.filter(course=OuterRef("course"), hidden=True)
            .annotate(source_key=Concat(Value("card:"), Cast("pk", models.CharField())))
            .filter(source_key=OuterRef("source"))
        )
        return self.exclude(Exists(hidden_card))

    def grouped(self) -> dict[str, list["Decision"]]:
        """Keep, develop, stop (in that order), each in the order the points were made; only those shown."""
        grouped: dict[str, list[Decision]] = {kind: [] for kind in DecisionKind.values}
        for decision in self.shown().order_by("created_at", "pk"):
            grouped[decision.kind].append(decision)
        return grouped


class Decision(models.Model):
    """An insight the leader has sorted into keep, develop or stop.

    `source` names what it came from ("card:12", "surprise:3", "method:5") or, for one the leader
    wrote, "own:<the form's key>"; one row per source, so sorting the same card again moves it and a
    double tap stores it once.
    """

    course = models.ForeignKey(Course, models.CASCADE, related_name="decisions")
    kind = models.CharField(_("beslutning"), max_length=8, choices=DecisionKind)
    text = models.CharField(_("tekst"), max_length=300)
    source = models.CharField(_("kilde"), max_length=50)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["course", "created_at", "pk"]
        verbose_name = _("beslutning")
        verbose_name_plural = _("beslutninger")
        constraints = [models.UniqueConstraint(fields=["course", "source"], name="dialogue_decision_once")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text}"


class TrialAction(models.Model):
    """A prøvehandling: a small change tried in practice, planned and then looked back on."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="trial_actions")
    decision = models.ForeignKey(
        Decision, models.SET_NULL, null=True, blank=True, related_name="trial_actions", verbose_name=_("udspringer af")
    )
    title = models.CharField(_("titel"), max_length=160)
    experience = models.TextField(_("erfaring"), max_length=2000, blank=True)
    wonder = models.TextField(_("undren"), max_length=2000, blank=True)
    action = models.TextField(_("prøvehandling"), max_length=2000, blank=True)
    observe = models.TextField(_("det holder vi øje med"), max_length=2000, blank=True)
    reflection = models.TextField(_("refleksion bagefter"), max_length=2000, blank=True)
    new_actions = models.TextField(_("nye handlinger"), max_length=2000, blank=True)
    client_key = models.UUIDField(default=uuid.uuid4)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        ordering = ["course", "created_at", "pk"]
        verbose_name = _("prøvehandling")
        verbose_name_plural = _("prøvehandlinger")
        constraints = [models.UniqueConstraint(fields=["course", "client_key"], name="dialogue_trial_action_once")]

    def __str__(self):
        return self.title


# --- Issue 10: rate limits that hold under concurrency ---


class RateCounter(models.Model):
    """How often one key (say, wrong join codes from one address) was hit in one fixed window; counted
    with an UPDATE in the database (sessions/ratelimit.py), so every server process shares the count."""

    key = models.CharField(_("nøgle"), max_length=200)
    window_start = models.DateTimeField(_("vinduet begynder"))
    expires_at = models.DateTimeField(_("udløber"), db_index=True)
    count = models.PositiveIntegerField(_("antal"), default=0)

    class Meta:
        ordering = ["-window_start", "key"]
        verbose_name = _("tæller")
        verbose_name_plural = _("tællere")
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="dialogue_ratecounter_window")]

    def __str__(self):
        return self.key
