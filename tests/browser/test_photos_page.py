"""The course page's printables and photos, in Chromium: upload several photos, see, delete, stay accessible."""

import pytest
from PIL import Image

from .conftest import LAPTOP, PHONE, SMALLEST

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png_file(tmp_path, name, colour):
    path = tmp_path / name
    Image.new("RGB", (600, 400), colour).save(path, "PNG")
    return path


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_facilitator_uploads_photos_and_deletes_one(page, live_server, visit, login, course, facilitator, media, size):
    page.set_viewport_size(size)
    login(page, "frida")
    visit(page, f"{live_server.url}/forloeb/{course.pk}/")
    files = [png_file(media, "a.png", "red"), png_file(media, "b.png", "blue")]
    page.get_by_label("Upload fotos af kortene").set_input_files(files)
    page.get_by_role("button", name="Gem fotos").click()
    assert page.get_by_text("2 fotos er gemt.").is_visible()
    assert page.locator(".photo-grid img").count() == 2
    visit(page, page.url.split("#")[0])
    page.screenshot(path=f"/tmp/issue6-photos-{size['width']}.png", full_page=True)
    page.get_by_role("button", name="Slet foto 1").click()
    assert page.get_by_text("Fotoet er slettet.").is_visible()
    assert page.locator(".photo-grid img").count() == 1


def test_a_text_file_gets_a_danish_message(page, live_server, login, course, facilitator, media, axe):
    login(page, "frida")
    page.goto(f"{live_server.url}/forloeb/{course.pk}/")
    text = media / "noter.jpg"
    text.write_bytes(b"ikke et billede")
    page.get_by_label("Upload fotos af kortene").set_input_files([text])
    page.get_by_role("button", name="Gem fotos").click()
    assert page.get_by_text("noter.jpg er ikke et billede i JPEG, PNG eller HEIC.").is_visible()


def test_course_page_with_photos_fits_320_px(page, live_server, login, course, facilitator, media):
    page.set_viewport_size(SMALLEST)
    login(page, "frida")
    page.goto(f"{live_server.url}/forloeb/{course.pk}/")
    page.get_by_label("Upload fotos af kortene").set_input_files([png_file(media, "c.png", "green")])
    page.get_by_role("button", name="Gem fotos").click()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_the_leader_sees_downloads_but_no_upload_form(page, live_server, visit, login, course, leader):
    login(page, "lars")
    visit(page, f"{live_server.url}/forloeb/{course.pk}/")
    assert page.get_by_role("link", name="Opsamling", exact=True).is_visible()
    assert page.get_by_label("Upload fotos af kortene").count() == 0
