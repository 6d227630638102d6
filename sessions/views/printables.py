"""Printed documents as PDF downloads: M1–M4, the meeting script and the leader's summary."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from borgerblik.pdf import FAILED

from ..decorators import member_required, participant_required
from ..forms import normalise_join_code
from ..models import Course
from ..printables import DOCUMENTS, OWN_SHEETS, Document, document_key, document_pdf_or_rendering
from .join import count_wrong_code, rate_limited, too_many_wrong_codes

# What the invitation e-mail links to: anyone holding the course's join code may print these.
HANDOUTS = {"m1", "m2"}


POLL_SECONDS = 2


def pdf_response(request, course, document: Document, participant=None, back_url: str = "") -> HttpResponse:
    """The PDF, or – while a long render goes on in the background – a page that polls until it is ready.

    The poll asks the same URL with htmx; once the PDF is in the cache, htmx is sent on to it (HX-Redirect)."""
    language = translation.get_language() or "da"
    key = document_key(course, document, language, participant)
    etag = f'"{key}"'
    if etag in request.headers.get("If-None-Match", ""):
        return HttpResponseNotModified(headers={"ETag": etag})
    polling = request.headers.get("HX-Request") == "true"
    # A poll never waits for a render: it only looks whether the one in the background is done.
    pdf, state = document_pdf_or_rendering(
        course, document, language, participant, key=key, wait=0 if polling else None
    )
    if pdf is not None and polling:
        return HttpResponse(status=200, headers={"HX-Redirect": request.path, "Cache-Control": "no-store"})
    if pdf is None:
        context = {
            "course": course,
            "document": document,
            "failed": state == FAILED,
            "poll_seconds": POLL_SECONDS,
            "back_url": back_url,
        }
        template = "sessions/print_wait.html" + ("#status" if polling else "")
        # 286 stops htmx polling: a failed render is not retried by itself.
        status = (286 if polling else 503) if state == FAILED else 202
        response = render(request, template, context, status=status)
        response["Cache-Control"] = "no-store"
        response["Retry-After"] = str(POLL_SECONDS)
        response["X-Print-Cache"] = state
        return response
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.name}-{course.pk}.pdf"'
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["X-Print-Cache"] = state
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
    return pdf_response(request, course, document, back_url=reverse("dialogue:course", args=[course.pk]))


@require_GET
@participant_required
def own_sheets(request, participant):
    """A participant's own reflection sheets, from the phone."""
    back = reverse("interviews:sheets", args=[participant.course_id])
    return pdf_response(request, participant.course, OWN_SHEETS, participant, back_url=back)


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
