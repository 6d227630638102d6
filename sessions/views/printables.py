"""Printed documents as PDF downloads: M1–M4, the meeting script and the leader's summary."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.views.decorators.http import require_GET

from ..decorators import member_required, participant_required
from ..forms import normalise_join_code
from ..models import Course
from ..printables import DOCUMENTS, OWN_SHEETS, Document, document_key, document_pdf
from .join import count_wrong_code, rate_limited, too_many_wrong_codes

# What the invitation e-mail links to: anyone holding the course's join code may print these.
HANDOUTS = {"m1", "m2"}


def pdf_response(request, course, document: Document, participant=None) -> HttpResponse:
    language = translation.get_language() or "da"
    key = document_key(course, document, language, participant)
    etag = f'"{key}"'
    if etag in request.headers.get("If-None-Match", ""):
        return HttpResponseNotModified(headers={"ETag": etag})
    pdf, cached = document_pdf(course, document, language, participant, key=key)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.name}-{course.pk}.pdf"'
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["X-Print-Cache"] = "hit" if cached else "miss"
    return response


@require_GET
@member_required
def printable(request, course, name):
    """Any member may print; the filled sheets of everyone are for the course's facilitators only."""
    document = DOCUMENTS.get(name)
    if document is None:
        raise Http404
    if document.facilitator_only and not course.is_managed_by(request.user):
        raise PermissionDenied
    return pdf_response(request, course, document)


@require_GET
@participant_required
def own_sheets(request, participant):
    """A participant's own reflection sheets, from the phone."""
    return pdf_response(request, participant.course, OWN_SHEETS, participant)


@require_GET
def handout(request, code, name):
    """M1 and the blank M2 for whoever has the join code (the invitation e-mail links here)."""
    if name not in HANDOUTS:
        raise Http404
    if too_many_wrong_codes(request):
        return rate_limited(request)
    course = Course.objects.filter(join_code=normalise_join_code(code)).select_related("workplace", "tool").first()
    if course is None:
        count_wrong_code(request)
        raise Http404
    return pdf_response(request, course, DOCUMENTS[name])
