"""Spreadsheet export of a course (CSV) for its facilitators and leaders."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from .. import export
from ..decorators import member_required


@require_GET
@member_required
def course_csv(request, course, name):
    writer = export.WRITERS.get(name)
    if writer is None:
        raise Http404
    content = writer(course, manager=course.is_managed_by(request.user))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    filename = f"{slugify(course.title) or 'forloeb'}-{name}-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
