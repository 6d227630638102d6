"""A participant's own cards from the meeting: the list, and taking one back (until the course closes)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import meeting as svc
from ..decorators import participant_required
from ..models import Card

FROM_MEETING = "moede"  # ?fra=moede: back to the meeting's phone page afterwards, not to the list


def _back(participant, came_from: str):
    if came_from == FROM_MEETING:
        return redirect("dialogue:meeting_phone", participant.course_id)
    return redirect("dialogue:my_cards", participant.course_id)


@require_GET
@participant_required
def my_cards(request, participant):
    cards = Card.objects.filter(course_id=participant.course_id, author=participant).order_by("created_at", "pk")
    return render(
        request, "sessions/my_cards.html", {"course": participant.course, "participant": participant, "cards": cards}
    )


@require_http_methods(["GET", "POST"])
@participant_required
def card_delete(request, participant, card_id):
    """GET asks (and changes nothing); POST deletes the phone's own card. Anyone else's card is 404."""
    card = get_object_or_404(Card, course_id=participant.course_id, author=participant, pk=card_id)
    came_from = request.POST.get("fra") or request.GET.get("fra", "")
    if request.method == "POST":
        try:
            svc.card_delete(participant=participant, card_id=card.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Kortet »%(text)s« er slettet.") % {"text": card.text})
        return _back(participant, came_from)
    return render(
        request,
        "sessions/card_delete.html",
        {
            "course": participant.course,
            "card": card,
            "came_from": came_from if came_from == FROM_MEETING else "",
            "merged_count": card.merged_cards.count(),
        },
    )
