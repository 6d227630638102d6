"""Photos of the card wall: real images made with Pillow, checked, turned upright and stripped."""

import io

import pillow_heif
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageCms, ImageFile, PngImagePlugin
from pypdf import PdfReader

from sessions.models import Photo

pillow_heif.register_heif_opener()

GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture(autouse=True)
def media(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    return tmp_path


def upload_url(course):
    return reverse("dialogue:photo_upload", args=[course.pk])


def jpeg_with_gps_rotated() -> bytes:
    """A 40x20 JPEG whose EXIF says "rotate 90°" and holds a GPS position."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (55.0, 40.0, 30.0), 3: "E", 4: (12.0, 34.0, 10.0)})
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "orange").save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size=(30, 30), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (0, 128, 255, 255) if mode == "RGBA" else 0).save(out, "PNG")
    return out.getvalue()


def black_and_white_png(side: int) -> bytes:
    """A real side x side PNG made by Pillow: 1-bit black compresses to a few kilobytes (a decompression bomb)."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb_png():
    return black_and_white_png(20_000)


def post(client, course, *files):
    return client.post(upload_url(course), {"photos": list(files)}, follow=True)


def test_it_stores_a_jpeg_without_gps_and_upright(facilitator_client, course):
    post(facilitator_client, course, SimpleUploadedFile("wall.jpg", jpeg_with_gps_rotated(), "image/jpeg"))
    photo = Photo.objects.get(course=course)
    with photo.image.open("rb") as handle, Image.open(handle) as stored:
        exif = stored.getexif()
        assert stored.size == (20, 40)
        assert not exif.get_ifd(GPS_IFD)
        assert ORIENTATION not in exif
        assert "exif" not in stored.info


def test_the_original_bytes_are_not_kept(facilitator_client, course, media):
    original = jpeg_with_gps_rotated()
    post(facilitator_client, course, SimpleUploadedFile("wall.jpg", original, "image/jpeg"))
    stored = [path.read_bytes() for path in media.rglob("*.jpg")]
    assert len(stored) == 3  # photo, thumbnail and the copy the summary PDF prints
    assert all(b"Exif" not in data for data in stored)


def test_several_photos_at_once(facilitator_client, course):
    files = [SimpleUploadedFile(f"p{i}.png", png_bytes(), "image/png") for i in range(3)]
    response = post(facilitator_client, course, *files)
    assert course.photos.count() == 3
    assert "3 fotos er gemt." in response.content.decode()


def test_a_png_renamed_jpg_is_read_by_its_content(facilitator_client, course):
    post(facilitator_client, course, SimpleUploadedFile("wall.jpg", png_bytes(), "image/jpeg"))
    photo = Photo.objects.get(course=course)
    with photo.image.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG"


def test_a_heic_from_an_iphone_is_stored_as_jpeg(facilitator_client, course):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, "HEIF")
    post(facilitator_client, course, SimpleUploadedFile("IMG_0001.HEIC", out.getvalue(), "image/heic"))
    photo = Photo.objects.get(course=course)
    assert (photo.width, photo.height) == (64, 48)


def test_a_decompression_bomb_is_refused(facilitator_client, course, bomb_png):
    response = post(facilitator_client, course, SimpleUploadedFile("bomb.png", bomb_png, "image/png"))
    assert course.photos.count() == 0
    assert "bomb.png har for mange pixels" in response.content.decode()


def test_more_than_40_megapixels_is_refused(facilitator_client, course):
    response = post(facilitator_client, course, SimpleUploadedFile("big.png", black_and_white_png(7000), "image/png"))
    assert course.photos.count() == 0
    assert "højst 40 megapixel" in response.content.decode()


def test_a_text_file_is_refused(facilitator_client, course):
    response = post(facilitator_client, course, SimpleUploadedFile("cards.jpg", b"not an image at all", "image/jpeg"))
    assert course.photos.count() == 0
    assert "cards.jpg er ikke et billede i JPEG, PNG eller HEIC." in response.content.decode()


def test_a_file_over_15_mb_is_refused(facilitator_client, course):
    big = b"\xff\xd8\xff" + b"\0" * (15 * 1024 * 1024)
    response = post(facilitator_client, course, SimpleUploadedFile("huge.jpg", big, "image/jpeg"))
    assert course.photos.count() == 0
    assert "huge.jpg er større end 15 MB" in response.content.decode()


def test_a_broken_image_is_refused(facilitator_client, course):
    broken = png_bytes()[:40]
    response = post(facilitator_client, course, SimpleUploadedFile("broken.png", broken, "image/png"))
    assert course.photos.count() == 0
    assert "broken.png kan ikke læses som billede" in response.content.decode()


def test_good_files_are_kept_when_one_is_refused(facilitator_client, course):
    post(
        facilitator_client,
        course,
        SimpleUploadedFile("good.png", png_bytes(), "image/png"),
        SimpleUploadedFile("bad.txt", b"hello", "text/plain"),
    )
    assert course.photos.count() == 1


def test_no_file_chosen_says_so(facilitator_client, course):
    response = facilitator_client.post(upload_url(course), {}, follow=True)
    assert "Vælg et eller flere billeder" in response.content.decode()


def test_a_leader_cannot_upload(leader_client, course):
    response = leader_client.post(upload_url(course), {"photos": [SimpleUploadedFile("a.png", png_bytes())]})
    assert response.status_code == 403
    assert course.photos.count() == 0


def test_a_stranger_cannot_upload(stranger_client, course):
    response = stranger_client.post(upload_url(course), {"photos": [SimpleUploadedFile("a.png", png_bytes())]})
    assert response.status_code == 404


def test_upload_needs_post(facilitator_client, course):
    assert facilitator_client.get(upload_url(course)).status_code == 405


@pytest.fixture
def photo(facilitator_client, course):
    post(facilitator_client, course, SimpleUploadedFile("wall.png", png_bytes((800, 600), "RGB"), "image/png"))
    return Photo.objects.get(course=course)


def test_members_see_the_thumbnail_on_the_course_page(leader_client, course, photo):
    page = leader_client.get(reverse("dialogue:course", args=[course.pk])).content.decode()
    thumbnail = reverse("dialogue:photo_thumbnail", args=[course.pk, photo.pk])
    assert thumbnail in page
    response = leader_client.get(thumbnail)
    assert response.status_code == 200
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert max(image.size) <= 480


def test_a_stranger_cannot_see_a_photo(stranger_client, course, photo):
    assert stranger_client.get(reverse("dialogue:photo", args=[course.pk, photo.pk])).status_code == 404


def test_a_photo_of_another_course_is_404(facilitator_client, course, photo, workplace, tool):
    from sessions.services import course_create

    other = course_create(workplace=workplace, tool=tool, title="Andet forløb")
    assert facilitator_client.get(reverse("dialogue:photo", args=[other.pk, photo.pk])).status_code == 404


def test_the_facilitator_deletes_a_photo(facilitator_client, course, photo, media):
    response = facilitator_client.post(reverse("dialogue:photo_delete", args=[course.pk, photo.pk]))
    assert response.status_code == 302
    assert course.photos.count() == 0


def test_a_leader_cannot_delete_a_photo(leader_client, course, photo):
    assert leader_client.post(reverse("dialogue:photo_delete", args=[course.pk, photo.pk])).status_code == 403
    assert course.photos.count() == 1


def test_delete_needs_post(facilitator_client, course, photo):
    assert facilitator_client.get(reverse("dialogue:photo_delete", args=[course.pk, photo.pk])).status_code == 405


def test_the_summary_shows_the_photos(facilitator_client, course, photo):
    response = facilitator_client.get(reverse("dialogue:printable", args=[course.pk, "opsamling"]))
    reader = PdfReader(io.BytesIO(response.content))
    assert sum(len(page.images) for page in reader.pages) >= 1
    assert "Fotos af kortvæggen" in "".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("count", [3, 60])
def test_course_page_queries_do_not_grow_with_photos(facilitator_client, course, django_assert_max_num_queries, count):
    Photo.objects.bulk_create(
        Photo(
            course=course,
            image=f"photos/{course.pk}/{i}.jpg",
            thumbnail=f"photos/{course.pk}/t{i}.jpg",
            width=4,
            height=3,
        )
        for i in range(count)
    )
    with django_assert_max_num_queries(20):
        page = facilitator_client.get(reverse("dialogue:course", args=[course.pk]))
    assert page.content.decode().count('class="photo-grid"') == 1


# Integrity and metadata: WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process when it is
# imported (borgerblik.pdf imports it), so these run with the flag set as well as unset.

COMMENT = "Hemmelig kommentar fra kameraet"


def detailed_image(size=(240, 160)) -> Image.Image:
    """Enough detail that the compressed file is long, so cutting it off loses real image data."""
    return Image.effect_mandelbrot(size, (-2.0, -1.5, 1.0, 1.5), 100).convert("RGB")


def encoded(fmt: str, **options) -> bytes:
    out = io.BytesIO()
    detailed_image().save(out, fmt, **options)
    return out.getvalue()


def jpeg_segments(data: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of the image data."""
    assert data[:2] == b"\xff\xd8"
    markers, pos = [], 2
    while pos < len(data):
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: the compressed pixels follow
            break
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return markers


def stored_files(photo) -> list[bytes]:
    files = []
    for field in (photo.image, photo.thumbnail):
        with field.open("rb") as handle:
            files.append(handle.read())
    return files


@pytest.fixture(params=[True, False], ids=["pillow-loads-truncated", "pillow-strict"])
def truncated_flag(request, monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", request.param)
    return request.param


@pytest.mark.parametrize("fmt,name", [("JPEG", "wall.jpg"), ("PNG", "wall.png"), ("HEIF", "wall.heic")])
@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_a_truncated_image_is_refused_whatever_the_flag(facilitator_client, course, truncated_flag, fmt, name, keep):
    whole = encoded(fmt)
    response = post(facilitator_client, course, SimpleUploadedFile(name, whole[: int(len(whole) * keep)]))
    assert course.photos.count() == 0
    assert f"{name} er ikke hel: filen slutter, før billedet er færdigt." in response.content.decode()
    assert ImageFile.LOAD_TRUNCATED_IMAGES is truncated_flag  # the check did not change the global


def test_a_jpeg_missing_only_its_end_marker_is_refused(facilitator_client, course, truncated_flag):
    whole = encoded("JPEG")
    assert whole.endswith(b"\xff\xd9")
    response = post(facilitator_client, course, SimpleUploadedFile("wall.jpg", whole[:-2]))
    assert course.photos.count() == 0
    assert "wall.jpg er ikke hel" in response.content.decode()


def test_a_truncated_jpeg_is_refused_after_a_pdf_was_rendered(facilitator_client, course):
    """The real order of events: a PDF rendered in the same process, then an upload (flag left as WeasyPrint set it)."""
    assert facilitator_client.get(reverse("dialogue:printable", args=[course.pk, "m1"])).status_code == 200
    whole = encoded("JPEG")
    response = post(
        facilitator_client,
        course,
        SimpleUploadedFile("first.png", png_bytes(), "image/png"),
        SimpleUploadedFile("cut.jpg", whole[: len(whole) // 2], "image/jpeg"),
    )
    page = response.content.decode()
    assert course.photos.count() == 1  # the good file of the same upload is kept
    assert "1 foto er gemt." in page
    assert "cut.jpg er ikke hel" in page


def test_the_whole_file_is_still_accepted_with_trailing_bytes(facilitator_client, course, truncated_flag):
    post(facilitator_client, course, SimpleUploadedFile("wall.jpg", encoded("JPEG") + b"\0" * 64))
    assert course.photos.count() == 1


def test_a_fake_jpeg_is_refused_with_its_own_message(facilitator_client, course, truncated_flag):
    fake = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
    response = post(facilitator_client, course, SimpleUploadedFile("fake.jpg", fake, "image/jpeg"))
    assert course.photos.count() == 0
    assert "fake.jpg kan ikke læses som billede: indholdet er ikke et gyldigt JPEG-, PNG- eller HEIC-billede." in (
        response.content.decode()
    )


def test_a_jpeg_comment_xmp_and_colour_profile_are_not_stored(facilitator_client, course):
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description Artist="Hemmelig fotograf"/></x:xmpmeta>'
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = encoded("JPEG", comment=COMMENT.encode(), xmp=xmp, icc_profile=profile)
    with Image.open(io.BytesIO(upload)) as original:
        assert original.info["comment"] == COMMENT.encode() and "xmp" in original.info
    post(facilitator_client, course, SimpleUploadedFile("wall.jpg", upload, "image/jpeg"))
    photo = Photo.objects.get(course=course)
    for data in stored_files(photo):
        with Image.open(io.BytesIO(data)) as stored:
            assert not {"comment", "xmp", "exif", "icc_profile", "photoshop"} & set(stored.info)
        assert COMMENT.encode() not in data and b"Hemmelig fotograf" not in data
        # Only the JFIF header, tables and frame: no COM (0xFE) and no APP1–APP15 segment.
        assert set(jpeg_segments(data)) <= {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD, 0xDA}


def test_png_text_chunks_are_not_stored(facilitator_client, course):
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Hemmelig fotograf")
    info.add_text("comment", COMMENT)  # would become the JPEG's comment if the info were carried over
    info.add_text("Description", "Tekst i zTXt", zip=True)
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>Hemmelig XMP</x:xmpmeta>")
    upload = encoded("PNG", pnginfo=info)
    with Image.open(io.BytesIO(upload)) as original:
        assert original.info["comment"] == COMMENT
    post(facilitator_client, course, SimpleUploadedFile("wall.png", upload, "image/png"))
    photo = Photo.objects.get(course=course)
    for data in stored_files(photo):
        with Image.open(io.BytesIO(data)) as stored:
            assert not {"comment", "Author", "Description", "XML:com.adobe.xmp", "xmp"} & set(stored.info)
        for secret in (b"Hemmelig", COMMENT.encode(), b"Author", b"xmpmeta"):
            assert secret not in data
        assert set(jpeg_segments(data)) <= {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD, 0xDA}


def test_a_heic_keeps_no_metadata(facilitator_client, course):
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (55.0, 40.0, 30.0)})
    upload = encoded("HEIF", exif=exif, xmp=b"<x:xmpmeta>Hemmelig XMP</x:xmpmeta>")
    post(facilitator_client, course, SimpleUploadedFile("IMG_0002.HEIC", upload, "image/heic"))
    photo = Photo.objects.get(course=course)
    for data in stored_files(photo):
        with Image.open(io.BytesIO(data)) as stored:
            assert not {"comment", "xmp", "exif", "icc_profile"} & set(stored.info)
        assert b"Hemmelig" not in data and b"Exif" not in data
