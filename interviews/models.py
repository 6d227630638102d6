"""Reflection sheets (M2) filled in on the phone after an interview with a citizen."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sessions.models import Participant


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    SUBMITTED = "submitted", _("Afleveret")


class ReflectionSheetQuerySet(models.QuerySet):
    def of_course(self, course):
        return self.filter(participant__course=course)

    def submitted(self):
        return self.filter(status=SheetStatus.SUBMITTED)

    def handed_in(self):
        """The interviews: sheets handed in by those taking part (Participant.objects.taking_part()). The
        facilitator's example is shown as the example, never counted or summed up as an interview."""
        return self.submitted().filter(is_example=False, participant__user__isnull=True)


class ReflectionSheet(models.Model):
    """One interview's reflection sheet.

    `answers` holds the text of the tool's sheet fields by key; "items" fields hold a list of
    short texts (one effect each), so they can become cards in the follow-up meeting.
    """

    participant = models.ForeignKey(Participant, models.CASCADE, related_name="sheets")
    status = models.CharField(_("status"), max_length=10, choices=SheetStatus, default=SheetStatus.DRAFT)
    is_example = models.BooleanField(
        _("facilitatorens eksempel"), default=False, help_text=_("Vises som eksempel ved opstartsmødet.")
    )
    interviewed_on = models.DateField(_("dato for interviewet"), null=True, blank=True)
    experience = models.PositiveSmallIntegerField(_("borgerens samlede oplevelse"), null=True, blank=True)
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)
    submitted_at = models.DateTimeField(_("afleveret"), null=True, blank=True)
    # Raised by every save; a save based on an older revision is refused, so a stale tab cannot overwrite.
    revision = models.PositiveIntegerField(_("udgave"), default=0)
    # The browser copy (sheet.js) that made the latest revision: its next save may build on it even if the
    # answer to its previous save was lost on the way.
    client_key = models.CharField(max_length=40, blank=True, editable=False)
    signed = models.BooleanField(
        _("vis mit navn"),
        default=False,
        help_text=_("Facilitatoren må se, at arket er mit, selv om forløbet er anonymt."),
    )

    objects = ReflectionSheetQuerySet.as_manager()

    class Meta:
        ordering = ["participant", "created_at", "pk"]
        verbose_name = _("refleksionsark")
        verbose_name_plural = _("refleksionsark")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(experience__isnull=True) | models.Q(experience__gte=1, experience__lte=5),
                name="interviews_sheet_experience_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{_('Refleksionsark')} {self.pk} – {self.participant}"

    def items(self, key: str) -> list[str]:
        value = self.answers.get(key, [])
        return [str(item) for item in value] if isinstance(value, list) else []
