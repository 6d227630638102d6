"""Participant pages stay light on a phone: HTML + CSS + JS of the first load under 60 KB compressed."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

LIMIT = 60 * 1024


def first_load_bytes(html: bytes) -> int:
    total = len(gzip.compress(html, 6))
    for asset in dict.fromkeys(re.findall(rb'<(?:script[^>]+src|link[^>]+href)="/static/([^"]+)"', html)):
        path = finders.find(asset.decode())
        assert path, asset
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read(), 6))
    return total


@pytest.mark.django_db
def test_participant_pages_weigh_under_60_kb_compressed(course, touchpoints):
    phone = Client()
    pages = [phone.get("/deltag/"), phone.get(f"/j/{course.join_code}/")]
    phone.post(f"/j/{course.join_code}/", {"display_name": "Mia", "email": ""})
    pages.append(phone.get(f"/deltager/{course.pk}/"))
    for response in pages:
        assert response.status_code == 200
        assert first_load_bytes(response.content) < LIMIT
