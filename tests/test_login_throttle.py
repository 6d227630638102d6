"""Password throttling (ASVS 6.3.1): wrong passwords are counted per account and, apart, per address."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LIMIT = django_settings.AXES_FAILURE_LIMIT
PASSWORD = "pw-for-tests-only"  # conftest.make_user's


def log_in(client, username, password, url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def assert_locked_out(response):
    assert response.status_code == 429
    body = response.content.decode()
    assert "For mange forsøg på at logge ind" in body
    assert "Vent 15 minutter, og prøv igen." in body
    assert response["Retry-After"] == "900"


def test_a_wrong_password_is_just_a_wrong_password():
    make_user("frida")
    response = log_in(Client(REMOTE_ADDR="10.1.0.1"), "frida", "forkert")
    assert response.status_code == 200
    assert "For mange forsøg" not in response.content.decode()


def test_after_the_limit_of_wrong_passwords_the_right_one_is_refused_in_danish():
    make_user("frida")
    browser = Client(REMOTE_ADDR="10.1.0.1")
    for _ in range(LIMIT - 1):
        assert log_in(browser, "frida", "forkert").status_code == 200
    assert_locked_out(log_in(browser, "frida", "forkert"))
    assert_locked_out(log_in(browser, "frida", PASSWORD))
    assert not logged_in(browser)


def test_twenty_wrong_then_the_right_one_does_not_log_in():
    make_user("frida")
    browser = Client(REMOTE_ADDR="10.1.0.1")
    for _ in range(20):
        log_in(browser, "frida", "forkert")
    assert_locked_out(log_in(browser, "frida", PASSWORD))
    assert not logged_in(browser)


def test_the_account_is_locked_whichever_address_the_tries_came_from():
    make_user("frida")
    for i in range(LIMIT):
        log_in(Client(REMOTE_ADDR=f"10.2.0.{i}"), "frida", "forkert")
    browser = Client(REMOTE_ADDR="10.3.0.1")
    assert_locked_out(log_in(browser, "frida", PASSWORD))
    assert not logged_in(browser)


def test_another_user_from_the_same_address_is_stopped_after_the_address_limit():
    make_user("lars")
    attacker = Client(REMOTE_ADDR="10.1.0.1")
    for i in range(LIMIT):  # a different name each time: no single account reaches its limit
        log_in(attacker, f"gaet{i}", "forkert")
    colleague = Client(REMOTE_ADDR="10.1.0.1")
    assert_locked_out(log_in(colleague, "lars", PASSWORD))
    assert not logged_in(colleague)
    elsewhere = Client(REMOTE_ADDR="10.9.0.1")
    assert log_in(elsewhere, "lars", PASSWORD).status_code == 302
    assert logged_in(elsewhere)


def test_a_successful_login_resets_nothing():
    """An attacker's own login between guesses must not wipe the address's count against someone else."""
    make_user("frida")
    make_user("mallory")
    attacker = Client(REMOTE_ADDR="10.1.0.1")
    for _ in range(LIMIT - 1):
        log_in(attacker, "frida", "forkert")
    assert log_in(attacker, "mallory", PASSWORD).status_code == 302
    attacker.logout()
    assert_locked_out(log_in(attacker, "frida", "forkert"))
    assert_locked_out(log_in(Client(REMOTE_ADDR="10.4.0.1"), "frida", PASSWORD))


def test_the_lockout_ends_after_the_cool_off(settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    make_user("frida")
    browser = Client(REMOTE_ADDR="10.1.0.1")
    for _ in range(LIMIT):
        log_in(browser, "frida", "forkert")
    response = log_in(browser, "frida", PASSWORD)
    assert response.status_code == 429
    assert "Vent 1 minut, og prøv igen." in response.content.decode()
    # Tries during the lockout do not restart it: move the last counted failure just past the cool-off.
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - timedelta(seconds=61))
    assert log_in(browser, "frida", PASSWORD).status_code == 302
    assert logged_in(browser)


def test_the_admin_login_is_throttled_too():
    admin = make_user("admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    browser = Client(REMOTE_ADDR="10.1.0.1")
    for _ in range(LIMIT):
        log_in(browser, "admin", "forkert", url="/admin/login/")
    assert_locked_out(log_in(browser, "admin", PASSWORD, url="/admin/login/"))
    assert not logged_in(browser)


def test_behind_the_proxy_the_forwarded_address_is_counted(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    make_user("lars")
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for i in range(LIMIT):
        proxy.post(
            "/accounts/login/", {"username": f"gaet{i}", "password": "x"}, HTTP_X_FORWARDED_FOR="spoofed, 192.0.2.7"
        )
    locked = proxy.post(
        "/accounts/login/", {"username": "lars", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="192.0.2.7"
    )
    assert locked.status_code == 429
    other = proxy.post("/accounts/login/", {"username": "lars", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="192.0.2.8")
    assert other.status_code == 302


def test_force_login_in_tests_is_not_throttled(facilitator_client):
    assert facilitator_client.get("/").status_code == 200
