"""Give a test client (or browser context) a phone's signed participant cookie, as join would."""

from django.core.signing import get_cookie_signer

from sessions.decorators import PARTICIPANT_SALT, participant_cookie_name


def participant_cookie(participant) -> tuple[str, str]:
    name = participant_cookie_name(participant.course_id)
    return name, get_cookie_signer(salt=name + PARTICIPANT_SALT).sign(participant.token)


def as_phone(client, participant):
    name, value = participant_cookie(participant)
    client.cookies[name] = value
    return client
