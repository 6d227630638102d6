"""The summary PDF embeds photos at the size it prints them (300 dpi in an 85 × 95 mm box), not the 1600-pixel
copy the course page shows: ten phone photos of ~3 MB made a 7 MB summary, now under 2 MB (bench/printables.py)."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from sessions.models import Photo
from sessions.photos import PRINT_BOX, photo_delete, photos_add, print_name

pytestmark = pytest.mark.django_db


def phone_photo(seed: int) -> SimpleUploadedFile:
    """A 6-megapixel photo of about 3 MB, as a phone takes it (noise: every pixel costs bytes)."""
    out = io.BytesIO()
    Image.effect_noise((3000, 2000), 40 + seed).convert("RGB").save(out, "JPEG", quality=85)
    return SimpleUploadedFile(f"wall{seed}.jpg", out.getvalue(), "image/jpeg")


def embedded_sizes(pdf: bytes) -> list[tuple[int, int]]:
    """The pixel size of every image the PDF holds (each once, however many pages share the resources)."""
    images = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"].get_object().get("/XObject", {}).values():
            image = ref.get_object()
            if image.get("/Subtype") == "/Image":
                images[ref.idnum] = (int(image["/Width"]), int(image["/Height"]))
    return list(images.values())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_summary_embeds_photos_at_their_printed_size(course, facilitator, facilitator_client, media):
    photos, errors = photos_add(course=course, uploads=[phone_photo(i) for i in range(3)], user=facilitator)
    assert not errors and len(photos) == 3
    assert photos[0].width == 1600  # the course page still gets its 1600-pixel photo

    pdf = facilitator_client.get(reverse("dialogue:printable", args=[course.pk, "opsamling"])).content
    sizes = embedded_sizes(pdf)
    assert len(sizes) == 3
    assert all(w <= PRINT_BOX[0] and h <= PRINT_BOX[1] for w, h in sizes), sizes
    assert sizes[0] == (1004, 669) or sizes[0] == (1004, 670)  # 85 mm at 300 dpi: still sharp on paper
    # Three photos embedded at 1600 px came to 2.1 MB; at print size they take about a quarter of that.
    assert len(pdf) < 900_000, len(pdf)


def test_the_print_copy_is_stored_with_the_photo_and_deleted_with_it(
    course, facilitator, media, django_capture_on_commit_callbacks
):
    (photo,), _errors = photos_add(course=course, uploads=[phone_photo(1)], user=facilitator)
    copy = Path(default_storage.path(print_name(photo.image.name)))
    with Image.open(copy) as image:
        assert image.size == (1004, 669) or image.size == (1004, 670)
        assert not image.info.get("exif") and not image.info.get("icc_profile")
    with django_capture_on_commit_callbacks(execute=True):
        photo_delete(photo=photo)
    assert not copy.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_a_photo_stored_before_print_copies_is_fitted_when_printed(course, facilitator_client, media):
    out = io.BytesIO()
    Image.effect_noise((1600, 1067), 40).convert("RGB").save(out, "JPEG", quality=85)
    photo = Photo(course=course, width=1600, height=1067)
    photo.image.save("old.jpg", ContentFile(out.getvalue()), save=False)
    photo.thumbnail.save("old-small.jpg", ContentFile(out.getvalue()), save=False)
    photo.save()
    pdf = facilitator_client.get(reverse("dialogue:printable", args=[course.pk, "opsamling"])).content
    assert embedded_sizes(pdf) in ([(1004, 669)], [(1004, 670)])
