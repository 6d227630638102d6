"""PDF/UA details of the printed documents: table header cells carry a Scope, a figure's bounding box lies
inside its page, and a long prøvehandling does not leave its heading alone on an empty page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from interviews.models import ReflectionSheet, SheetStatus
from sessions.models import MethodProposal, Participant, TrialAction
from sessions.photos import photos_add
from sessions.printables import DOCUMENTS, document_pdf

pytestmark = pytest.mark.django_db


def structure(pdf: bytes, *tags: str) -> list[tuple[DictionaryObject, list[float]]]:
    """The structure elements of these tags, each with the MediaBox of the page it is on."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = {page.indirect_reference.idnum: [float(v) for v in page.mediabox] for page in reader.pages}
    found, seen = [], set()

    def walk(node):
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                return
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject):
            if node.get("/S") in tags:
                found.append((node, pages.get(node.raw_get("/Pg").idnum) if "/Pg" in node else None))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return found


def render(course, name: str) -> bytes:
    return document_pdf(course, DOCUMENTS[name], "da")[0]


def test_every_table_header_cell_has_a_scope(course):
    MethodProposal.objects.create(course=course, text="Smiley-standere")
    scopes = {}
    for name in ("m3", "opsamling"):
        headers = structure(render(course, name), "/TH")
        assert headers, name
        scopes[name] = [str(element["/A"].get("/Scope")) for element, _page in headers]
        assert all(scope in ("/Column", "/Row") for scope in scopes[name]), (name, scopes[name])
    # M3: the three column headings, then one row heading per agenda item (`<th scope="row">`).
    assert scopes["m3"][:3] == ["/Column"] * 3 and set(scopes["m3"][3:]) == {"/Row"}
    assert scopes["opsamling"] == ["/Column", "/Column"]


def test_every_figure_lies_inside_its_page(course, facilitator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = Participant.objects.create(course=course)
    ReflectionSheet.objects.create(participant=person, status=SheetStatus.SUBMITTED, experience=4)  # the chart
    uploads = []
    for i in range(6):
        out = io.BytesIO()
        Image.effect_noise((600, 800 if i % 2 else 400), 40).convert("RGB").save(out, "JPEG")
        uploads.append(SimpleUploadedFile(f"wall{i}.jpg", out.getvalue(), "image/jpeg"))
    photos_add(course=course, uploads=uploads, user=facilitator)
    figures = structure(render(course, "opsamling"), "/Figure")
    assert len(figures) == 7  # the chart and six photos
    for element, (left, bottom, right, top) in figures:
        x1, y1, x2, y2 = (float(v) for v in element["/A"]["/BBox"])
        assert left <= x1 < x2 <= right and bottom <= y1 < y2 <= top, (x1, y1, x2, y2)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("paragraphs", [1, 40])
def test_a_prøvehandling_keeps_its_heading_company_however_long_it_is(course, paragraphs):
    text = "Vi vil prøve at flytte knappen øverst, så borgerne finder den uden at lede. " * paragraphs
    TrialAction.objects.create(course=course, title="Knappen øverst", experience=text, action=text, observe=text)
    pages = page_texts(render(course, "opsamling"))
    with_heading = [page for page in pages if "Prøvehandlinger" in page]
    assert len(with_heading) == 1
    assert "Knappen øverst" in with_heading[0] and "Erfaring" in with_heading[0]
    # No page is left with nothing but a heading and the footer.
    for page in pages:
        lines = [line for line in page.splitlines() if line.strip() and "Opsamling – " not in line]
        assert len(lines) > 1 or not lines, lines
