"""A follow-up meeting the size of the demo course, for tests of the screens a room reads."""

from interviews.models import ReflectionSheet
from sessions import meeting as svc
from sessions.models import Card, Dot, Meeting, MethodProposal, Participant

NEGATIVES = [
    "Svære fagord på siden",
    "For få ledige tider",
    "Lille skrift på mobilen",
    "Bekræftelsen havner i spam",
    "Kan ikke booke til to personer på én gang",
    "Uklart hvad man skal medbringe",
]
POSITIVES = [
    "Kan bestille tid døgnet rundt",
    "Slipper for telefonkø",
    "Sms-påmindelse dagen før",
    "Kan vælge tidspunkt selv",
    "Hurtigt – under to minutter",
]
PROPOSALS = ["Smileys ved skranken", "Korte exit-interview efter aftalen", "Et borgerpanel om selvbetjeningen"]


def go_to(course, user, key):
    """Start the meeting and step forward until the activity with this key."""
    if not Meeting.objects.filter(course=course, started_at__isnull=False).exists():
        svc.meeting_start(course=course, by=user)
    for _ in range(20):
        if Meeting.objects.select_related("activity").get(course=course).activity.key == key:
            return
        svc.meeting_go(course=course, by=user, step="next")
    raise AssertionError(key)


def demo_meeting(course, facilitator):
    """Eight people with sheets, the card round with eleven cards shown, three proposals with dots."""
    people = [Participant.objects.create(course=course, display_name=f"Deltager {i + 1}") for i in range(8)]
    for person in people:
        ReflectionSheet.objects.create(participant=person, status="submitted", answers={"positives": ["Nemt"]})
    go_to(course, facilitator, "card_round")
    svc.cards_reveal(course=course, by=facilitator, revealed=True)
    for zone, texts in (("negative", NEGATIVES), ("positive", POSITIVES)):
        for i, text in enumerate(texts):
            Card.objects.create(course=course, author=people[i], zone=zone, text=text)
    for i, text in enumerate(PROPOSALS):
        proposal = MethodProposal.objects.create(course=course, author=people[i], text=text)
        for person in people[: 7 - 2 * i]:
            Dot.objects.create(proposal=proposal, participant=person)
    return course
