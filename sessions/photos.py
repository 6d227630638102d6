"""Photos of the card wall: checked, turned upright, stripped of metadata and stored as JPEG."""

import io
import warnings
from dataclasses import dataclass

import pillow_heif
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import Course, Photo

pillow_heif.register_heif_opener()

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_FILES = 20
STORED_SIDE = 1600  # long side of the stored photo: sharp on A4 at half width, light in the summary PDF
THUMBNAIL_SIDE = 480
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def image_kind(head: bytes) -> str | None:
    """The format by its magic bytes, whatever the file is called."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "HEIF"
    return None


@dataclass
class CleanPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _jpeg(image: Image.Image, side: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif= and no icc_profile=: the new file carries no metadata from the upload.
    copy.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def photo_clean(upload) -> CleanPhoto:
    """Check an uploaded file and re-encode it; raises ValidationError with a Danish message."""
    name = getattr(upload, "name", "") or _("filen")
    if upload.size > MAX_BYTES:
        raise ValidationError(_("%(name)s er større end 15 MB. Vælg et mindre billede.") % {"name": name})
    head = upload.read(16)
    upload.seek(0)
    kind = image_kind(head)
    if kind is None:
        raise ValidationError(_("%(name)s er ikke et billede i JPEG, PNG eller HEIC.") % {"name": name})
    too_big = _("%(name)s har for mange pixels (højst 40 megapixel). Tag billedet i lavere opløsning.") % {"name": name}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[kind]) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise ValidationError(too_big)
                upright = ImageOps.exif_transpose(opened)
                upright.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(too_big) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(_("%(name)s kan ikke læses som billede. Er filen hel?") % {"name": name}) from None
    if upright.mode not in ("RGB", "L"):
        background = Image.new("RGB", upright.size, "white")
        rgba = upright.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        upright = background
    stored = _jpeg(upright, STORED_SIDE)
    with Image.open(io.BytesIO(stored)) as check:
        width, height = check.size
    return CleanPhoto(stored, _jpeg(upright, THUMBNAIL_SIDE), width, height)


def photos_add(*, course: Course, uploads: list, user) -> tuple[list[Photo], list[str]]:
    """Store every good upload; returns the photos stored and a Danish message per refused file."""
    errors: list[str] = []
    if len(uploads) > MAX_FILES:
        errors.append(_("Højst %(n)d billeder ad gangen. De første %(n)d er taget med.") % {"n": MAX_FILES})
        uploads = uploads[:MAX_FILES]
    photos = []
    for upload in uploads:
        try:
            clean = photo_clean(upload)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        with transaction.atomic():
            photo = Photo(course=course, width=clean.width, height=clean.height, uploaded_by=user)
            photo.image.save("photo.jpg", ContentFile(clean.image), save=False)
            photo.thumbnail.save("thumbnail.jpg", ContentFile(clean.thumbnail), save=False)
            photo.save()
        photos.append(photo)
    return photos, errors


def photo_delete(*, photo: Photo) -> None:
    """Remove the photo; `signals.photo_files_removed` takes its files."""
    photo.delete()
