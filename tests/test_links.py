"""Follow every link from the start page, as facilitator and as leader: none may answer 4xx/5xx."""

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def crawl(client, start="/", limit=300):
    seen, queue, failures = set(), [start], []
    while queue and len(seen) < limit:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 400:
            failures.append((url, response.status_code))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            href = urldefrag(href)[0]
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not href.startswith("/") or href.startswith("/admin/"):
                continue
            queue.append(href)
    return seen, failures


@pytest.mark.parametrize("username", ["facilitator", "leder"])
def test_every_link_answers_without_error(settings, username):
    settings.DEBUG = True
    call_command("loaddemo")
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    seen, failures = crawl(client)
    assert failures == []
    assert len(seen) >= 4
