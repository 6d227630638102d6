"""Photos of the card wall: upload (several at once), show, delete."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from ..decorators import facilitator_required, member_required
from ..photos import photo_delete, photos_add


def back_to_photos(course):
    return redirect(reverse("dialogue:course", args=[course.pk]) + "#fotos")


@require_POST
@facilitator_required
def photo_upload(request, course):
    uploads = request.FILES.getlist("photos")
    if not uploads:
        messages.error(request, _("Vælg et eller flere billeder at uploade."))
        return back_to_photos(course)
    photos, errors = photos_add(course=course, uploads=uploads, user=request.user)
    if photos:
        messages.success(
            request,
            ngettext("%(n)d foto er gemt.", "%(n)d fotos er gemt.", len(photos)) % {"n": len(photos)},
        )
    for error in errors:
        messages.error(request, error)
    return back_to_photos(course)


@require_GET
@member_required
def photo_file(request, course, photo_id, variant="image"):
    photo = get_object_or_404(course.photos, pk=photo_id)
    field = photo.thumbnail if variant == "thumbnail" else photo.image
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@facilitator_required
def photo_remove(request, course, photo_id):
    photo = get_object_or_404(course.photos, pk=photo_id)
    photo_delete(photo=photo)
    messages.success(request, _("Fotoet er slettet."))
    return back_to_photos(course)
