"""A follow-up meeting the size of the demo course, for tests of the screens a room reads."""

from interviews.models import ReflectionSheet
from sessions import meeting as svc
from sessions.management.commands.loaddemo import DEMO_NEGATIVES as NEGATIVES
from sessions.management.commands.loaddemo import DEMO_POSITIVES as POSITIVES
from sessions.management.commands.loaddemo import DEMO_PROPOSALS as PROPOSALS
from sessions.models import Card, Dot, MethodProposal, Participant

from ..test_meeting import go_to


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
