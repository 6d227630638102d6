"""Photos of the card wall: checked, turned upright, stripped of metadata and stored as JPEG."""

import io
import warnings
from dataclasses import dataclass

import pillow_heif
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .closing import ensure_open
from .models import Course, Photo

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_FILES = 20
STORED_SIDE = 1600  # long side of the stored photo, as the course page shows it
THUMBNAIL_SIDE = 480
# The summary prints a photo at most 85 × 95 mm (half the A4 text width, `.photos img` in print.css);
# at 300 dpi that is 1004 × 1122 pixels. The PDF embeds this copy, not the 1600-pixel one: a tenth of
# the pixels per photo that the page cannot show anyway.
PRINT_DPI = 300
PRINT_BOX_MM = (85, 95)
PRINT_BOX = tuple(round(mm / 25.4 * PRINT_DPI) for mm in PRINT_BOX_MM)
PRINT_QUALITY = 80
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


class Truncated(Exception):
    """The decoder asked for more bytes than the file holds: the upload was cut off."""


class WholeFile(io.BytesIO):
    """An upload held in memory that raises `Truncated` when read at its end.

    Pillow ends decoding as soon as the image is complete, so a read that finds no bytes left means
    the image data stops early. Pillow itself only refuses such a file while the process-wide
    `ImageFile.LOAD_TRUNCATED_IMAGES` is off, and importing WeasyPrint turns it on for good (a JPEG
    then gets a made-up end marker and grey pixels). This check reads no global and changes none,
    so it holds in every thread whatever else runs in the process.
    """

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        if not data and size != 0:
            raise Truncated
        return data

    def read1(self, size: int | None = -1) -> bytes:
        return self.read(size)

    def readinto(self, buffer) -> int:
        count = super().readinto(buffer)
        if not count and len(buffer):
            raise Truncated
        return count


@dataclass
class CleanPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int
    print: bytes = b""


def _fitted(image: Image.Image, side: int) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    return copy


def _in_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """The pixels converted from the upload's colour profile to sRGB, so that the profile need not be kept."""
    if not icc_profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # a profile that does not fit the pixels: they stay as they are, the profile goes all the same


def _jpeg(image: Image.Image, quality: int = 85) -> bytes:
    """Only the pixels, in a new image: no EXIF, XMP, IPTC, comment, text chunk or colour profile of the upload."""
    pixels = Image.new(image.mode, image.size)
    pixels.paste(image)
    out = io.BytesIO()
    pixels.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def print_copy(stored: Image.Image) -> bytes:
    """The photo as the summary PDF prints it: fitted into the printed box at PRINT_DPI."""
    fitted = stored.copy()
    fitted.thumbnail(PRINT_BOX, Image.Resampling.LANCZOS)
    return _jpeg(fitted, PRINT_QUALITY)


def print_name(image_name: str) -> str:
    """Where a photo's print copy is stored: next to the photo, named after it (no column of its own)."""
    return image_name.removesuffix(".jpg") + "-print.jpg"


def print_bytes(photo: Photo) -> bytes:
    """The print copy of a stored photo; made from the photo when it has none (one uploaded before copies)."""
    name = print_name(photo.image.name)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    with photo.image.open("rb") as handle, Image.open(handle) as image:
        image.load()
        return print_copy(image.convert("RGB") if image.mode not in ("RGB", "L") else image)


def _decoded(data: bytes, kind: str) -> Image.Image:
    """The whole image decoded and turned upright.

    Raises Truncated when the header is fine but the image data stops early; a file that runs out
    inside its header shows nothing of a picture and is simply unreadable.
    """
    if kind == "HEIF":
        # pillow_heif's own API, not its Pillow plugin: the plugin also hands out grey pixels for a
        # cut-off file while LOAD_TRUNCATED_IMAGES is on; libheif itself refuses one.
        heif = pillow_heif.open_heif(data, convert_hdr_to_8bit=True)
        if heif.size[0] * heif.size[1] > MAX_PIXELS:
            raise Image.DecompressionBombError(heif.size)
        try:
            return ImageOps.exif_transpose(heif.to_pillow())
        except (ValueError, EOFError) as error:
            if "end of file" in str(error).lower():
                raise Truncated from None
            raise
    try:
        opened = Image.open(WholeFile(data), formats=[kind])
    except Truncated:
        raise UnidentifiedImageError("The file ends inside its header") from None
    with opened:
        if opened.width * opened.height > MAX_PIXELS:
            raise Image.DecompressionBombError(opened.size)
        upright = ImageOps.exif_transpose(opened)  # decodes every pixel (a transposed image or a copy)
        upright.load()
        return upright


def photo_clean(upload) -> CleanPhoto:
    """Check an uploaded file and re-encode it; raises ValidationError with a Danish message."""
    name = getattr(upload, "name", "") or _("filen")
    if upload.size > MAX_BYTES:
        raise ValidationError(_("%(name)s er større end 15 MB. Vælg et mindre billede.") % {"name": name})
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    kind = image_kind(data[:16])
    if kind is None:
        raise ValidationError(_("%(name)s er ikke et billede i JPEG, PNG eller HEIC.") % {"name": name})
    too_big = _("%(name)s har for mange pixels (højst 40 megapixel). Tag billedet i lavere opløsning.") % {"name": name}
    truncated = _("%(name)s er ikke hel: filen slutter, før billedet er færdigt. Upload billedet igen.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upright = _decoded(data, kind)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(too_big) from None
    except Truncated:
        raise ValidationError(truncated % {"name": name}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, RuntimeError):
        raise ValidationError(
            _("%(name)s kan ikke læses som billede: indholdet er ikke et gyldigt JPEG-, PNG- eller HEIC-billede.")
            % {"name": name}
        ) from None
    icc_profile = upright.info.get("icc_profile")
    stored = _fitted(upright, STORED_SIDE)
    if stored.mode not in ("RGB", "L", "CMYK"):
        background = Image.new("RGB", stored.size, "white")
        rgba = stored.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        stored = background
    stored = _in_srgb(stored, icc_profile)
    if stored.mode not in ("RGB", "L"):
        stored = stored.convert("RGB")
    return CleanPhoto(
        _jpeg(stored), _jpeg(_fitted(stored, THUMBNAIL_SIDE)), stored.width, stored.height, print_copy(stored)
    )


def photos_add(*, course: Course, uploads: list, user) -> tuple[list[Photo], list[str]]:
    """Store every good upload; returns the photos stored and a Danish message per refused file."""
    ensure_open(course)
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
            saved = default_storage.save(print_name(photo.image.name), ContentFile(clean.print))
            if saved != print_name(photo.image.name):  # never with random names; then it is made when printed
                default_storage.delete(saved)
        photos.append(photo)
    return photos, errors


def photo_delete(*, photo: Photo) -> None:
    """Remove the photo; `signals.photo_files_removed` takes its files."""
    ensure_open(photo.course)
    photo.delete()
