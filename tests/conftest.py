"""Shared fixtures: users in roles, a workplace with a course, phones and the Borgerens blik template."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sessions.models import DialogueTool, Membership, Participant, Role, Touchpoint, Workplace
from sessions.services import course_create, tool_load


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Production hashes passwords with PBKDF2 at a million rounds, about 0.3 s each; the users the
    tests create need none of that (the suite went from 382 s to 229 s on a two-core machine)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tool(db):
    # Loaded by the data migration; transactional (browser) tests flush it, so load it again there.
    return DialogueTool.objects.filter(slug="borgerens-blik").first() or tool_load()


@pytest.fixture
def workplace(db):
    return Workplace.objects.create(name="Borgerservice Testby")


@pytest.fixture
def touchpoints(workplace):
    return [
        Touchpoint.objects.create(workplace=workplace, name=name, position=i)
        for i, name in enumerate(["Online tidsbestilling", "Selvbetjeningsskærm", "SMS-påmindelser"], start=1)
    ]


def make_user(username, workplace=None, role=None):
    user = get_user_model().objects.create_user(username=username, password="pw-for-tests-only")
    if workplace is not None:
        Membership.objects.create(workplace=workplace, user=user, role=role)
    return user


@pytest.fixture
def facilitator(workplace):
    return make_user("frida", workplace, Role.FACILITATOR)


@pytest.fixture
def leader(workplace):
    return make_user("lars", workplace, Role.LEADER)


@pytest.fixture
def stranger(db):
    """A facilitator of another workplace."""
    other = Workplace.objects.create(name="Jobcenter Andetby")
    return make_user("olga", other, Role.FACILITATOR)


@pytest.fixture
def course(workplace, tool, touchpoints, facilitator):
    return course_create(
        workplace=workplace,
        tool=tool,
        title="Tidsbestilling",
        proposed_touchpoint=touchpoints[0],
        created_by=facilitator,
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def facilitator_client(facilitator):
    return logged_in(facilitator)


@pytest.fixture
def leader_client(leader):
    return logged_in(leader)


@pytest.fixture
def stranger_client(stranger):
    return logged_in(stranger)


@pytest.fixture
def add_participants(course):
    def add(count, target=None):
        target = target or course
        return Participant.objects.bulk_create(
            Participant(course=target, display_name=f"Deltager {i}") for i in range(count)
        )

    return add
