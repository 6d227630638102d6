"""Phones in tests: the signed participant cookie exactly as the join flow sets it."""

from django.http import HttpResponse
from django.test import Client

from sessions.decorators import participant_cookie_name, participant_remember


def participant_cookie(participant) -> tuple[str, str]:
    response = HttpResponse()
    participant_remember(response, participant)
    name = participant_cookie_name(participant.course_id)
    return name, response.cookies[name].value


def as_phone(client: Client, participant) -> Client:
    name, value = participant_cookie(participant)
    client.cookies[name] = value
    return client


def phone_for(participant) -> Client:
    """A phone that joined the course as this participant."""
    return as_phone(Client(), participant)


def join_as(page, live_server, participant) -> None:
    """Give a browser page's context the cookie the join flow sets."""
    name, value = participant_cookie(participant)
    page.context.add_cookies([{"name": name, "value": value, "url": live_server.url}])
