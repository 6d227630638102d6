import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def course_url(course):
    return f"/forloeb/{course.pk}/"


def test_anonymous_is_sent_to_login(course):
    response = Client().get(course_url(course))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_start_page_is_sent_to_login(db):
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_facilitator_sees_own_course(facilitator_client, course):
    response = facilitator_client.get(course_url(course))
    assert response.status_code == 200
    assert "Tidsbestilling" in response.content.decode()


def test_leader_sees_the_course_read_only(leader_client, course):
    response = leader_client.get(course_url(course))
    assert response.status_code == 200
    assert "Kun læseadgang" in response.content.decode()


def test_facilitator_of_another_workplace_gets_404(stranger_client, course):
    assert stranger_client.get(course_url(course)).status_code == 404


def test_unknown_course_gets_404(facilitator_client, db):
    assert facilitator_client.get("/forloeb/999999/").status_code == 404


def test_start_page_lists_only_own_courses(facilitator_client, stranger_client, course):
    assert "Tidsbestilling" in facilitator_client.get("/").content.decode()
    assert "Tidsbestilling" not in stranger_client.get("/").content.decode()


def test_start_page_groups_courses_by_phase(facilitator_client, course):
    page = facilitator_client.get("/").content.decode()
    assert 'id="phase-preparation"' in page


def test_user_without_workplace_is_told_what_to_do(db):
    from tests.conftest import logged_in, make_user

    page = logged_in(make_user("ny")).get("/").content.decode()
    assert "ikke tilknyttet en arbejdsplads" in page


def test_course_page_shows_the_agenda_with_clock_times(facilitator_client, course):
    from datetime import datetime

    from django.utils import timezone

    course.meeting_starts_at = timezone.make_aware(datetime(2026, 12, 3, 13, 0))
    course.save()
    page = facilitator_client.get(course_url(course)).content.decode()
    assert "Borgernes reaktioner" in page
    assert "13:10" in page and "14:00" in page


def test_post_to_a_read_only_page_is_refused(facilitator_client, course):
    assert facilitator_client.post(course_url(course)).status_code == 405


def test_wrong_password_gives_no_account_enumeration(facilitator, db):
    client = Client()
    known = client.post("/accounts/login/", {"username": "frida", "password": "forkert"})
    unknown = client.post("/accounts/login/", {"username": "findesikke", "password": "forkert"})
    assert known.status_code == unknown.status_code == 200
    assert "korrekt brugernavn" in known.content.decode()
    assert known.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_login_with_the_right_password_goes_to_the_start_page(facilitator, db):
    response = Client().post("/accounts/login/", {"username": "frida", "password": "pw-for-tests-only"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logout_needs_post(facilitator_client):
    assert facilitator_client.get("/accounts/logout/").status_code == 405
    assert facilitator_client.post("/accounts/logout/").status_code == 302
