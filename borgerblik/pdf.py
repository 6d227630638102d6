"""PDFs from Django templates with WeasyPrint: tagged (PDF/UA-1), with the project's own font.

Templates under `templates/print/` refer to resources by site-relative URLs (`/static/...` and
`/print-photos/<id>/<variant>`). The fetcher below answers only those: the project's static files
and the photos of the one course being printed. Anything else (other hosts, `file://`, `data:`)
is refused, so user text can never make the renderer read the disk or the network.
"""

import hashlib
import logging
import mimetypes
import posixpath
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import connections
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .inputs import id_or_none

# A host that can never resolve (RFC 2606): relative URLs in templates are joined onto it.
BASE_URL = "https://print.borgerblik.invalid/"
STATIC_PREFIX = "/static/"
PHOTO_PREFIX = "/print-photos/"
PDF_VARIANT = "pdf/ua-1"
CACHE_SECONDS = 60 * 60 * 24 * 7


def _render_version() -> str:
    """A hash of the print templates, styles and this module: a deploy that changes them renders documents anew."""
    root = Path(settings.BASE_DIR)
    files = sorted((root / "templates" / "print").glob("*.html")) + [root / "static" / "css" / "print.css"]
    files.append(Path(__file__))
    digest = hashlib.sha256()
    for path in files:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RENDER_VERSION = _render_version()


class RefusedResource(ValueError):
    """A resource the print fetcher does not serve."""


PhotoOpener = Callable[[int, str], bytes | None]


class PrintFetcher(URLFetcher):
    """Serves static files and, through `photo_opener`, the printed course's photos; nothing else."""

    def __init__(self, photo_opener: PhotoOpener | None = None):
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.photo_opener = photo_opener

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.netloc != urlsplit(BASE_URL).netloc or parts.query:
            raise RefusedResource(f"Not a print resource: {url}")
        path = unquote(parts.path)
        if path.startswith(STATIC_PREFIX):
            body = static_bytes(path.removeprefix(STATIC_PREFIX))
        elif path.startswith(PHOTO_PREFIX) and self.photo_opener is not None:
            body = photo_bytes(path.removeprefix(PHOTO_PREFIX), self.photo_opener)
        else:
            body = None
        if body is None:
            raise RefusedResource(f"Not a print resource: {url}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if path.startswith(PHOTO_PREFIX):
            content_type = "image/jpeg"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def static_bytes(relative: str) -> bytes | None:
    """A file of the project's static files, or None; never outside them."""
    normalized = posixpath.normpath(relative)
    if normalized.startswith(("/", "..")) or "\\" in normalized or "\x00" in normalized:
        return None
    try:
        found = finders.find(normalized)
        if not found and staticfiles_storage.exists(normalized):
            found = staticfiles_storage.path(normalized)
    except Exception:  # SuspiciousFileOperation and storages without a local path
        return None
    if not found:
        return None
    with open(found, "rb") as handle:
        return handle.read()


def photo_bytes(rest: str, opener: PhotoOpener) -> bytes | None:
    raw_id, _, variant = rest.partition("/")
    photo_id = id_or_none(raw_id)
    if photo_id is None or variant not in {"print", "thumbnail"}:
        return None
    return opener(photo_id, variant)


def print_html(template: str, context: dict, *, title: str, language: str | None = None) -> str:
    """A print template as the HTML WeasyPrint lays out, in the given language (the active one by default).

    Django's autoescaping stays on: user text in `context` is printed literally.
    """
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        return render_to_string(template, {**context, "document_title": title, "document_language": language})


def pdf_from_html(html: str, photo_opener: PhotoOpener | None = None) -> bytes:
    """Lay out the HTML as a tagged PDF. Reads nothing from the database (the opener holds the photos), so it
    can run in a thread of its own while the request that asked for it has already been answered."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=PrintFetcher(photo_opener))
    return document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False, finisher=tag_fixes)


def render_pdf(
    template: str,
    context: dict,
    *,
    title: str,
    language: str | None = None,
    photo_opener: PhotoOpener | None = None,
) -> bytes:
    """Render a print template to a tagged PDF in the given language (the active one by default)."""
    return pdf_from_html(print_html(template, context, title=title, language=language), photo_opener)


CSS_PX_IN_PT = 0.75  # WeasyPrint lays out in CSS pixels (96 per inch); PDF user space is in points (72)


def _object(pdf, reference):
    """The pydyf object a reference such as b"12 0 R" names."""
    number = int(reference.split()[0]) if isinstance(reference, bytes | str) else None
    return pdf.objects[number] if number is not None and 0 < number < len(pdf.objects) else None


def tag_fixes(document, pdf) -> None:
    """Two things PDF/UA asks of the structure tree that WeasyPrint 70 leaves out (its `finisher` hook).

    - Every table header cell (TH) gets a Scope: Row when the cells of its own row list it as their
      header (`<th scope="row">`), else Column.
    - A Figure's BBox is given in the page's coordinates, inside the page: WeasyPrint writes the CSS
      pixels of the layout, measured from the top, so a figure low on a page lay outside its box.
    """
    elements = [obj for obj in pdf.objects if isinstance(obj, dict) and obj.get("Type") == "/StructElem"]
    for element in elements:
        tag, attributes = element.get("S"), element.get("A")
        if tag == "/TH" and attributes is not None:
            row = _object(pdf, element.get("P"))
            own_id = getattr(element.get("ID"), "string", None)
            row_header = False
            for reference in (row or {}).get("K", []):
                cell = _object(pdf, reference)
                headers = cell.get("A", {}).get("Headers", []) if isinstance(cell, dict) else []
                if cell is not None and cell.get("S") == "/TD" and own_id in [getattr(h, "string", h) for h in headers]:
                    row_header = True
            attributes["Scope"] = "/Row" if row_header else "/Column"
        elif tag == "/Figure" and attributes is not None and "BBox" in attributes:
            page = _object(pdf, element.get("Pg"))
            if page is None:
                continue
            left, bottom, right, top = (float(value) for value in page["MediaBox"])
            x1, y1, x2, y2 = (float(value) * CSS_PX_IN_PT for value in attributes["BBox"])
            box = [max(left, x1), max(bottom, top - y2), min(right, x2), min(top, top - y1)]
            attributes["BBox"] = pydyf.Array(round(value, 3) for value in box)


def print_key(key_parts: list[str], fingerprint: str) -> str:
    """A short key for one document over one state of the data (also used as its ETag)."""
    # The date is printed in the margins, so a document is rendered anew each day.
    today = timezone.localdate().isoformat()
    return hashlib.sha256("|".join([RENDER_VERSION, today, *key_parts, fingerprint]).encode()).hexdigest()


def cached_pdf(
    slot: str, key: str, render: Callable[[], bytes], *, still_wanted: Callable[[], bool] | None = None
) -> tuple[bytes, bool]:
    """The PDF in this slot of the shared cache if it was rendered for this key, else a new rendering.

    Returns (pdf, came_from_cache). A slot names one document (say, one course's summary in Danish)
    and holds only its latest rendering together with the key it was rendered for; the key includes
    a fingerprint of the data printed, so a stale document is never served. Since slots can be named
    again from the data they belong to, whoever deletes the data can delete its documents
    (`forget_pdfs`); a key made from a fingerprint could never be found again and would stay until
    it expired. `still_wanted` is asked after a new rendering is stored: when the data was deleted
    while it was being rendered, the rendering is taken out of the cache again.
    """
    entry = cache.get(f"print:{slot}")
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == key:
        return entry[1], True
    pdf = render()
    cache.set(f"print:{slot}", (key, pdf), CACHE_SECONDS)
    if still_wanted is not None and not still_wanted():
        cache.delete(f"print:{slot}")
    return pdf, False


def forget_pdfs(slots: Iterable[str]) -> None:
    """Delete these slots' documents from the cache (the data they print is being deleted)."""
    cache.delete_many([f"print:{slot}" for slot in slots] + [f"print-job:{slot}" for slot in slots])


# --- Long renders in the background ----------------------------------------------------------------
#
# A request renders a document that is not in the cache itself, but waits for it at most
# BORGERBLIK_PRINT_WAIT_SECONDS (well under gunicorn's 30-second worker timeout). A render that takes
# longer goes on in a thread of the worker process; the request answers with a page that polls, and
# the finished PDF goes into the shared cache, where the poll (on any worker or server) finds it. A
# marker in the cache says the document is being rendered, so polls and other users wait for that
# render instead of starting their own. One render thread per process: layout is CPU-bound Python.

RENDERS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="borgerblik-print")
JOB_SECONDS = 300  # a render still marked after this is taken as lost (its process ended) and started again
FAILED = "failed"
logger = logging.getLogger(__name__)


def _entry_pdf(entry, key: str) -> bytes | None:
    return entry[1] if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == key else None


def _job_state(job, key: str) -> str | None:
    return job[0] if isinstance(job, tuple) and len(job) == 2 and job[1] == key else None


def store_pdf(slot: str, key: str, pdf: bytes, still_wanted: Callable[[], bool] | None = None) -> None:
    cache.set(f"print:{slot}", (key, pdf), CACHE_SECONDS)
    if still_wanted is not None and not still_wanted():
        cache.delete(f"print:{slot}")


def pdf_or_rendering(
    slot: str,
    key: str,
    prepare: Callable[[], tuple[str, PhotoOpener | None]],
    *,
    still_wanted: Callable[[], bool] | None = None,
    wait: float | None = None,
) -> tuple[bytes | None, str]:
    """(pdf, "hit") from the cache, (pdf, "miss") rendered within `wait` seconds, or (None, "rendering");
    (None, FAILED) once when the last render in the background failed (asking again renders again).

    `prepare` reads the database in the calling thread and returns the HTML and the photo opener; the
    layout runs in the render thread.
    """
    found = cache.get_many([f"print:{slot}", f"print-job:{slot}"])  # one query for both
    pdf = _entry_pdf(found.get(f"print:{slot}"), key)
    if pdf is not None:
        return pdf, "hit"
    state = _job_state(found.get(f"print-job:{slot}"), key)
    if state == "rendering":
        return None, "rendering"
    if state == FAILED:
        cache.delete(f"print-job:{slot}")
        return None, FAILED
    html, opener = prepare()
    future = RENDERS.submit(pdf_from_html, html, opener)
    wait = settings.BORGERBLIK_PRINT_WAIT_SECONDS if wait is None else wait
    try:
        pdf = future.result(timeout=wait)
    except FutureTimeout:
        cache.set(f"print-job:{slot}", ("rendering", key), JOB_SECONDS)
        future.add_done_callback(lambda done: _store_late(done, slot, key, still_wanted))
        return None, "rendering"
    store_pdf(slot, key, pdf, still_wanted)
    return pdf, "miss"


def _store_late(future: Future, slot: str, key: str, still_wanted) -> None:
    """Put a render that outlived its request into the cache (from the render thread, with its own connection)."""
    try:
        pdf = future.result()
    except Exception:
        logger.exception("Rendering %s failed", slot)
        cache.set(f"print-job:{slot}", (FAILED, key), 60)
    else:
        store_pdf(slot, key, pdf, still_wanted)
        cache.delete(f"print-job:{slot}")
    finally:
        if threading.current_thread().name.startswith("borgerblik-print"):
            connections.close_all()  # this thread's connections only; requests close their own
