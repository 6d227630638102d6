import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from interviews.models import ReflectionSheet
from sessions.models import Card, Course, CoursePhase, Group, Touchpoint, Vote, Workplace, Zone

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Workplace, Touchpoint, Course, Card, Group, Vote, ReflectionSheet)]


def test_demo_data_has_what_every_page_needs(settings):
    settings.DEBUG = True
    call_command("loaddemo")
    workplace = Workplace.objects.get(name="Borgerservice (demo)")
    assert workplace.touchpoints.count() == 6
    followup = Course.objects.get(phase=CoursePhase.FOLLOWUP)
    assert followup.participants.taking_part().count() == 8
    assert ReflectionSheet.objects.filter(participant__course=followup).count() >= 8
    assert set(followup.cards.values_list("zone", flat=True)) == {Zone.POSITIVE, Zone.NEGATIVE}
    assert followup.groups.exists() and followup.votes.exists()
    assert Course.objects.filter(phase=CoursePhase.PREPARATION).count() == 1
    assert authenticate(username="facilitator", password="demo")
    assert authenticate(username="leder", password="demo")


def test_loading_twice_adds_nothing(settings):
    settings.DEBUG = True
    call_command("loaddemo")
    first = counts()
    call_command("loaddemo")
    assert counts() == first


def test_refuses_in_production_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("loaddemo")
    assert not Workplace.objects.exists()
    call_command("loaddemo", force=True)
    assert Workplace.objects.exists()
