"""Layout checks for every screen a browser test visits: no text squeezed into a sliver, nothing running
past the viewport, no panels drawn over each other (the rules are in layout.js).

Each screen is checked at a phone's and a laptop's size, and a projector screen (its URL holds
`/skaerm/`) also at 1920×1080; the page keeps the size the test gave it afterwards.
"""

from pathlib import Path

PHONE_SMALL = {"width": 375, "height": 667}
LAPTOP = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}

LAYOUT_JS = (Path(__file__).parent / "layout.js").read_text(encoding="utf-8")


def layout_sizes(url: str) -> list[dict]:
    return [PHONE_SMALL, LAPTOP, PROJECTOR] if "/skaerm/" in url else [PHONE_SMALL, LAPTOP]


def layout_findings(page) -> list[dict]:
    """What layout.js finds on the page at its current size."""
    return page.evaluate(LAYOUT_JS)


def assert_laid_out(page, sizes: list[dict] | None = None) -> None:
    """Fail with every finding at every size, naming the element, its text and what is wrong."""
    kept = page.viewport_size
    problems = []
    try:
        for size in sizes or layout_sizes(page.url):
            page.set_viewport_size(size)
            for finding in layout_findings(page):
                problems.append(
                    f"{size['width']}×{size['height']} {finding['kind']}: {finding['where']}"
                    f" – {finding['detail']}" + (f" – »{finding['text']}«" if finding["text"] else "")
                )
    finally:
        if kept:
            page.set_viewport_size(kept)
    assert not problems, f"layout faults on {page.url}:\n" + "\n".join(problems)
