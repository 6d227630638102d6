"""Phase 5, after the meeting: the leader sorts the insights into keep, develop and stop, and plans
prøvehandlinger (small changes tried in practice).

An insight is a card (merged cards count once), a surprise a group posted, or a method the room
proposed. Its source key ("card:12") makes sorting it idempotent: sorting it again moves it.
"""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from borgerblik.inputs import parse_id, validate_no_nul
from borgerblik.privacy import validate_no_cpr

from .closing import ensure_open
from .models import Card, Course, Decision, DecisionKind, GroupKind, MethodProposal, Surprise, Zone
from .printables import card_tree

SOURCE_KINDS = ("card", "surprise", "method")
DECISION_MAX = Decision._meta.get_field("text").max_length
GONE = gettext_lazy("Det punkt findes ikke længere i forløbet. Siden er opdateret.")


@dataclass
class Insight:
    source: str
    text: str
    label: str  # what it is, in a few words: "Negativt kort", "Gruppe 2", "Forslag, 7 prikker"
    count: int = 1
    starred: bool = False
    decision: Decision | None = None

    @property
    def anchor(self) -> str:
        return anchor_for(self.source)


def anchor_for(source: str) -> str:
    """The id of an insight's row on the follow-up page, to come back to after sorting it."""
    return "i-" + source.replace(":", "-")


def insights(course: Course, decisions: dict[str, Decision]) -> dict[str, list[Insight]]:
    """What the meeting produced, in the order the summary prints it, each with its decision if sorted."""
    zones = {
        zone: [
            Insight(
                f"card:{entry['card'].pk}",
                entry["card"].text,
                _("Negativt kort") if zone == Zone.NEGATIVE else _("Positivt kort"),
                count=entry["count"],
                starred=entry["card"].starred,
                decision=decisions.get(f"card:{entry['card'].pk}"),
            )
            for entry in entries
        ]
        for zone, entries in card_tree(course).items()
    }
    surprises = [
        Insight(
            f"surprise:{s.pk}",
            s.text,
            _("Gruppe %(number)d") % {"number": s.group.number},
            decision=decisions.get(f"surprise:{s.pk}"),
        )
        for s in Surprise.objects.filter(group__course=course, group__kind=GroupKind.SURPRISES)
        .select_related("group")
        .order_by("group__number", "created_at", "pk")
    ]
    methods = [
        Insight(
            f"method:{m.pk}",
            m.text,
            ngettext("Forslag med %(count)d prik", "Forslag med %(count)d prikker", m.n) % {"count": m.n},
            decision=decisions.get(f"method:{m.pk}"),
        )
        for m in MethodProposal.objects.filter(course=course).annotate(n=Count("dots")).order_by("-n", "pk")
    ]
    return {
        "negatives": zones[Zone.NEGATIVE],
        "positives": zones[Zone.POSITIVE],
        "surprises": surprises,
        "methods": methods,
    }


def source_text(course: Course, source: str) -> str:
    """The text of an insight of this course, or ValidationError when the key is wrong or not the course's."""
    kind, _sep, raw_id = (source or "").partition(":")
    if kind not in SOURCE_KINDS:
        raise ValidationError(GONE, code="source")
    pk = parse_id(raw_id)  # MalformedInput (a 400) for "card:²" and the like
    queries = {
        "card": Card.objects.filter(course=course, hidden=False, merged_into__isnull=True),
        "surprise": Surprise.objects.filter(group__course=course),
        "method": MethodProposal.objects.filter(course=course),
    }
    text = queries[kind].filter(pk=pk).values_list("text", flat=True).first()
    if text is None:
        raise ValidationError(GONE, code="source")
    return text


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Skriv, hvad I vil fastholde, udvikle eller stoppe."), code="required")
    if len(text) > DECISION_MAX:
        raise ValidationError(
            _("Teksten må højst have %(limit)d tegn (den har %(count)d).")
            % {"limit": DECISION_MAX, "count": len(text)},
            code="max_length",
        )
    validate_no_cpr(text)
    validate_no_nul(text)
    return text


def _clean_kind(kind: str) -> str:
    if kind not in DecisionKind.values:
        raise ValidationError(_("Vælg Fastholde, Udvikle eller Stoppe."), code="kind")
    return kind


def decision_sort(*, course: Course, source: str, kind: str, user=None) -> Decision:
    """Sort an insight of the meeting; sorting it again moves it to the new kind."""
    ensure_open(course)
    kind = _clean_kind(kind)
    text = source_text(course, source)[:DECISION_MAX]
    decision, _created = Decision.objects.update_or_create(
        course=course,
        source=source,
        defaults={"kind": kind},
        create_defaults={"kind": kind, "text": text, "created_by": user},
    )
    return decision


def decision_write(*, course: Course, kind: str, text: str, client_key: str, user=None) -> Decision:
    """A decision the leader writes in own words; the form's key stores a double tap once."""
    ensure_open(course)
    kind, text = _clean_kind(kind), _clean_text(text)
    source = f"own:{client_key}"[:50]
    try:
        with transaction.atomic():
            return Decision.objects.create(course=course, kind=kind, text=text, source=source, created_by=user)
    except IntegrityError:
        existing = Decision.objects.get(course=course, source=source)
        if (existing.kind, existing.text) == (kind, text):
            return existing  # the same form sent twice
        # An old form with its old key (the browser's Back button) but new words: a point of its own.
        return Decision.objects.create(
            course=course, kind=kind, text=text, source=f"own:{uuid.uuid4()}", created_by=user
        )


def decision_change(*, decision: Decision, kind: str, text: str) -> Decision:
    ensure_open(decision.course)
    decision.kind, decision.text = _clean_kind(kind), _clean_text(text)
    decision.save(update_fields=["kind", "text", "updated_at"])
    return decision


def decision_remove(*, decision: Decision) -> None:
    ensure_open(decision.course)
    decision.delete()


def thanks_context(course: Course) -> dict:
    """What the thank-you e-mail tells the participants: what they produced and what happens now."""
    from interviews.models import ReflectionSheet  # interviews depends on this module

    grouped = course.decisions.grouped()
    return {
        "sheet_count": ReflectionSheet.objects.of_course(course).handed_in().count(),
        "card_count": course.cards.filter(hidden=False).count(),
        "surprise_count": Surprise.objects.filter(group__course=course, group__kind=GroupKind.SURPRISES).count(),
        "keep": [d.text for d in grouped[DecisionKind.KEEP]],
        "develop": [d.text for d in grouped[DecisionKind.DEVELOP]],
        "stop": [d.text for d in grouped[DecisionKind.STOP]],
        "trial_actions": list(course.trial_actions.order_by("created_at", "pk").values_list("title", flat=True)),
    }
