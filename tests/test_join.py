"""Joining from a phone: the code form, the QR deep link, the cookie, the return link and the rate limit."""

import pytest
from django.core import mail
from django.test import Client

from sessions.decorators import participant_cookie_name
from sessions.models import JOIN_CODE_ALPHABET, CoursePhase, Participant


def join_url(course):
    return f"/j/{course.join_code}/"


def home_url(course):
    return f"/deltager/{course.pk}/"


@pytest.fixture
def phone():
    return Client(REMOTE_ADDR="10.0.0.7")


def joined(phone, course, **data):
    response = phone.post(join_url(course), {"display_name": "", "email": "", **data})
    assert response.status_code == 302, response.content
    return Participant.objects.filter(course=course).latest("pk")


@pytest.mark.django_db
def test_it_shows_the_code_form(phone):
    response = phone.get("/deltag/")
    assert response.status_code == 200
    assert "Deltagerkode" in response.content.decode()


@pytest.mark.django_db
def test_it_sends_a_right_code_to_the_name_page(phone, course):
    response = phone.post("/deltag/", {"code": course.join_code.lower()})
    assert response.status_code == 302
    assert response["Location"] == join_url(course)


@pytest.mark.django_db
def test_it_accepts_a_code_typed_with_spaces_and_dashes(phone, course):
    code = f"{course.join_code[:3]} - {course.join_code[3:]}"
    response = phone.post("/deltag/", {"code": code})
    assert response["Location"] == join_url(course)


@pytest.mark.django_db
def test_a_wrong_code_gets_a_danish_message_and_keeps_what_was_typed(phone, course):
    response = phone.post("/deltag/", {"code": "ZZZZZZ" if course.join_code != "ZZZZZZ" else "YYYYYY"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vi kender ikke den kode" in body
    assert 'value="ZZZZZZ"' in body or 'value="YYYYYY"' in body


@pytest.mark.django_db
def test_a_malformed_code_is_explained(phone):
    response = phone.post("/deltag/", {"code": "abc"})
    assert "Koden har 6 tegn" in response.content.decode()


@pytest.mark.django_db
def test_a_closed_course_cannot_be_joined_by_code(phone, course):
    course.phase = CoursePhase.CLOSED
    course.save()
    response = phone.post("/deltag/", {"code": course.join_code})
    assert "er afsluttet" in response.content.decode()


@pytest.mark.django_db
def test_a_closed_course_cannot_be_joined_by_link(phone, course):
    course.phase = CoursePhase.CLOSED
    course.save()
    response = phone.post(join_url(course), {"display_name": "Mia"})
    assert response.status_code == 410
    assert "er afsluttet" in response.content.decode()
    assert not course.participants.exists()


@pytest.mark.django_db
def test_an_unknown_deep_link_answers_404_with_the_code_form(phone, course):
    response = phone.get("/j/ZZZZZ2/")
    assert response.status_code == 404
    assert "Vi kender ikke koden" in response.content.decode()


@pytest.mark.django_db
def test_eleventh_wrong_code_from_one_address_gets_429(phone, course):
    for _ in range(10):
        assert phone.post("/deltag/", {"code": "22222X"}).status_code == 200
    response = phone.post("/deltag/", {"code": course.join_code})
    assert response.status_code == 429
    assert "For mange forkerte koder" in response.content.decode()


@pytest.mark.django_db
def test_the_rate_limit_counts_per_address(phone, course):
    for _ in range(10):
        phone.post("/deltag/", {"code": "22222X"})
    other = Client(REMOTE_ADDR="10.0.0.8")
    assert other.post("/deltag/", {"code": course.join_code}).status_code == 302


@pytest.mark.django_db
def test_wrong_deep_links_count_towards_the_limit(phone, course):
    for _ in range(10):
        phone.get("/j/22222X/")
    assert phone.get(join_url(course)).status_code == 429


@pytest.mark.django_db
def test_it_allows_ten_wrong_codes(phone, course):
    for _ in range(9):
        phone.post("/deltag/", {"code": "22222X"})
    assert phone.post("/deltag/", {"code": course.join_code}).status_code == 302


def test_join_codes_have_no_ambiguous_characters():
    assert not set("0O1lI") & set(JOIN_CODE_ALPHABET)


def test_join_codes_hold_enough_entropy_against_the_rate_limit():
    # 10 guesses per 10 minutes per address against 31^6 codes: a day of guessing finds one
    # of 100 running courses with odds under 1 in 500.
    guesses_per_day = 10 * 6 * 24
    assert guesses_per_day * 100 / len(JOIN_CODE_ALPHABET) ** 6 < 1 / 500


@pytest.mark.django_db
def test_joining_anonymously_sets_the_cookie_and_opens_the_home_page(phone, course):
    response = phone.post(join_url(course), {"display_name": "", "email": ""})
    assert response.status_code == 302
    assert response["Location"] == home_url(course)
    assert participant_cookie_name(course.pk) in response.cookies
    participant = course.participants.get()
    assert participant.display_name == ""
    page = phone.get(home_url(course))
    assert "Du deltager anonymt" in page.content.decode()


@pytest.mark.django_db
def test_a_display_name_is_kept(phone, course):
    participant = joined(phone, course, display_name="  Mia   Holm ")
    assert participant.display_name == "Mia Holm"
    assert "Du deltager som Mia Holm" in phone.get(home_url(course)).content.decode()


@pytest.mark.django_db
def test_a_500_character_name_is_refused_and_kept_in_the_field(phone, course):
    name = "x" * 500
    response = phone.post(join_url(course), {"display_name": name, "email": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "højst have 60 tegn" in body
    assert name in body
    assert not course.participants.exists()


@pytest.mark.django_db
def test_a_name_with_html_is_refused_and_shown_escaped(phone, course):
    response = phone.post(join_url(course), {"display_name": "<script>alert(1)</script>", "email": ""})
    body = response.content.decode()
    assert "må ikke indeholde tegnene" in body
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;" in body
    assert not course.participants.exists()


@pytest.mark.django_db
def test_a_name_with_a_cpr_number_is_refused(phone, course):
    response = phone.post(join_url(course), {"display_name": "Mia 010203-1234", "email": ""})
    assert "CPR-nummer" in response.content.decode()
    assert not course.participants.exists()


@pytest.mark.django_db
def test_a_bad_email_is_refused(phone, course):
    response = phone.post(join_url(course), {"display_name": "Mia", "email": "mia@"})
    assert "gyldig e-mailadresse" in response.content.decode()
    assert not course.participants.exists()


@pytest.mark.django_db
def test_an_email_gets_the_personal_return_link(phone, course):
    participant = joined(phone, course, email="mia@kommune.dk")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mia@kommune.dk"]
    assert f"/deltager/retur/{participant.token}/" in mail.outbox[0].body


@pytest.mark.django_db
def test_no_email_sends_nothing(phone, course):
    joined(phone, course)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_phone_that_has_joined_is_sent_home_instead_of_joining_again(phone, course):
    joined(phone, course)
    response = phone.get(join_url(course))
    assert response["Location"] == home_url(course)
    phone.post(join_url(course), {"display_name": "Igen"})
    assert course.participants.count() == 1


@pytest.mark.django_db
def test_the_home_page_shows_the_return_link(phone, course):
    participant = joined(phone, course)
    assert f"/deltager/retur/{participant.token}/" in phone.get(home_url(course)).content.decode()


@pytest.mark.django_db
def test_the_return_link_continues_on_another_device(phone, course):
    participant = joined(phone, course)
    laptop = Client()
    response = laptop.get(f"/deltager/retur/{participant.token}/")
    assert response["Location"] == home_url(course)
    assert laptop.get(home_url(course)).status_code == 200


@pytest.mark.django_db
def test_an_unknown_return_link_answers_404(phone):
    assert phone.get("/deltager/retur/not-a-token/").status_code == 404


@pytest.mark.django_db
def test_the_return_link_only_accepts_get(phone, course):
    participant = joined(phone, course)
    assert Client().post(f"/deltager/retur/{participant.token}/").status_code == 405


@pytest.mark.django_db
def test_a_phone_without_cookie_is_sent_to_join(course):
    response = Client().get(home_url(course))
    assert response["Location"] == join_url(course)


@pytest.mark.django_db
def test_a_tampered_cookie_is_not_a_participant(phone, course):
    joined(phone, course)
    name = participant_cookie_name(course.pk)
    phone.cookies[name] = phone.cookies[name].value[:-3] + "abc"
    response = phone.get(home_url(course))
    assert response.status_code == 302
    assert response["Location"] == join_url(course)


@pytest.mark.django_db
def test_a_plain_token_cookie_without_signature_is_refused(phone, course):
    participant = joined(phone, course)
    other = Client()
    other.cookies[participant_cookie_name(course.pk)] = participant.token
    assert other.get(home_url(course)).status_code == 302
    assert other.post(f"/deltager/{course.pk}/stem/", {"touchpoint": 1}).status_code == 403


@pytest.mark.django_db
def test_a_cookie_of_one_course_does_not_open_another(phone, course, workplace, tool):
    from sessions.services import course_create

    joined(phone, course)
    other = course_create(workplace=workplace, tool=tool, title="Andet")
    assert phone.get(home_url(other))["Location"] == join_url(other)


@pytest.mark.django_db
def test_join_pages_answer_only_get_and_post(phone, course):
    assert phone.put("/deltag/").status_code == 405
    assert phone.delete(join_url(course)).status_code == 405


@pytest.mark.django_db
def test_the_join_form_needs_csrf(course):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(join_url(course), {"display_name": "Mia"}).status_code == 403
    assert not course.participants.exists()


@pytest.mark.django_db
def test_in_the_interview_period_the_phone_shows_its_own_sheets(phone, course, touchpoints):
    from interviews.models import ReflectionSheet, SheetStatus

    participant = joined(phone, course)
    course.chosen_touchpoint = touchpoints[0]
    course.phase = CoursePhase.INTERVIEWS
    course.save()
    body = phone.get(home_url(course)).content.decode()
    assert "Spørg mindst én borger om oplevelsen af <strong>Online tidsbestilling</strong>" in body
    ReflectionSheet.objects.create(participant=participant, status=SheetStatus.SUBMITTED)
    assert "Du har afleveret 1 refleksionsark" in phone.get(home_url(course)).content.decode()


@pytest.mark.django_db
def test_a_failing_mail_server_does_not_stop_joining(phone, course, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens here
    participant = joined(phone, course, email="mia@kommune.dk")
    assert participant.email == "mia@kommune.dk"


@pytest.mark.django_db
def test_behind_the_proxy_the_limit_counts_the_forwarded_address(course, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(10):
        proxy.post("/deltag/", {"code": "22222X"}, HTTP_X_FORWARDED_FOR="spoofed, 192.0.2.7")
    assert proxy.post("/deltag/", {"code": course.join_code}, HTTP_X_FORWARDED_FOR="192.0.2.7").status_code == 429
    assert proxy.post("/deltag/", {"code": course.join_code}, HTTP_X_FORWARDED_FOR="192.0.2.8").status_code == 302


@pytest.mark.django_db
def test_without_a_proxy_the_forwarded_header_is_ignored(course):
    phone = Client(REMOTE_ADDR="10.0.0.9")
    for i in range(10):
        phone.post("/deltag/", {"code": "22222X"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert phone.post("/deltag/", {"code": course.join_code}).status_code == 429


@pytest.mark.django_db
def test_a_course_where_everybody_signs_asks_for_the_name(phone, course):
    course.anonymous = False
    course.save()
    response = phone.post(join_url(course), {"display_name": "", "email": ""})
    assert "i dette forløb er ingen anonyme" in response.content.decode()
    assert not course.participants.exists()
    assert joined(phone, course, display_name="Mia").display_name == "Mia"
