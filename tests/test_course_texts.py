"""A course's own wording of the interview questions and the facilitator's prompts."""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from sessions.models import Activity, InterviewQuestion
from sessions.services import course_create

from .phones import phone_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts_url(course):
    return reverse("dialogue:course_texts", args=[course.pk])


def form_data(client, url) -> dict:
    """The form as the page shows it: every field with the text in use."""
    form = client.get(url).context["form"]
    return {name: form[name].value() for name in form.fields}


def first_question(course):
    return InterviewQuestion.objects.filter(tool=course.tool).order_by("number").first()


def meeting_activity(course):
    return Activity.objects.filter(agenda_item__tool=course.tool).exclude(prompt="").order_by("pk").first()


def test_only_the_facilitator_adjusts_the_texts(
    course, texts_url, facilitator_client, leader_client, stranger_client, client
):
    assert facilitator_client.get(texts_url).status_code == 200
    assert leader_client.get(texts_url).status_code == 403
    assert stranger_client.get(texts_url).status_code == 404
    assert client.get(texts_url).status_code == 302
    assert leader_client.post(texts_url, {}).status_code == 403
    course.refresh_from_db()
    assert course.texts == {}


def test_the_course_asks_its_own_question_everywhere_and_other_courses_keep_the_template(
    course, texts_url, facilitator_client, add_participants, workplace, tool, touchpoints
):
    question, activity = first_question(course), meeting_activity(course)
    data = form_data(facilitator_client, texts_url)
    data[f"question_{question.pk}"] = "Hvad gjorde {touchpoint} let for dig i dag?"
    data[f"activity_{activity.pk}"] = "Byd velkommen og fortæl om {workplace}."
    response = facilitator_client.post(texts_url, data)
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.texts == {
        f"question:{question.pk}": "Hvad gjorde {touchpoint} let for dig i dag?",
        f"activity:{activity.pk}": "Byd velkommen og fortæl om {workplace}.",
    }  # only what differs from the template is stored
    touchpoint = course.touchpoint.name
    guide = phone_for(add_participants(1)[0]).get(reverse("interviews:guide", args=[course.pk])).content.decode()
    assert f"Hvad gjorde {touchpoint} let for dig i dag?" in guide
    page = facilitator_client.get(reverse("dialogue:course", args=[course.pk])).content.decode()
    assert f"Byd velkommen og fortæl om {workplace.name}." in page
    cache.clear()
    pdf = facilitator_client.get(reverse("dialogue:printable", args=[course.pk, "m1"])).content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", " ")
    assert f"Hvad gjorde {touchpoint} let for dig i dag?" in text
    other = course_create(workplace=workplace, tool=tool, title="Andet", proposed_touchpoint=touchpoints[1])
    assert other.question_text(question) == question.text


def test_an_empty_field_brings_the_template_back(course, texts_url, facilitator_client):
    question = first_question(course)
    course.texts = {f"question:{question.pk}": "Egen formulering"}
    course.save()
    data = form_data(facilitator_client, texts_url)
    assert data[f"question_{question.pk}"] == "Egen formulering"
    data[f"question_{question.pk}"] = "   "
    facilitator_client.post(texts_url, data)
    course.refresh_from_db()
    assert course.texts == {} and course.question_text(question) == question.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Hvad synes du om {tuchpoint}?", "Ukendt felt i tuborgklammer: {tuchpoint}"),
        ("Hvad synes du om { touchpoint }?", "Ukendt felt i tuborgklammer: { touchpoint }"),
        ("Hvad skrev du selv: {own_example}?", "Ukendt felt i tuborgklammer: {own_example}"),
        ("Borgeren 010190-1234 sagde", "CPR-nummer"),
        ("x" * 301, "højst have 300 tegn (det har 301)"),
    ],
)
def test_bad_text_is_refused_with_every_word_kept(course, texts_url, facilitator_client, text, message):
    question, activity = first_question(course), meeting_activity(course)
    data = form_data(facilitator_client, texts_url)
    data[f"question_{question.pk}"] = text
    data[f"activity_{activity.pk}"] = "Mine egne stikord"
    response = facilitator_client.post(texts_url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "Mine egne stikord" in page
    course.refresh_from_db()
    assert course.texts == {}


def test_the_facilitators_own_example_may_go_in_a_prompt(course, texts_url, facilitator_client):
    activity = meeting_activity(course)
    data = form_data(facilitator_client, texts_url)
    data[f"activity_{activity.pk}"] = "Fortæl om {own_example}."
    assert facilitator_client.post(texts_url, data).status_code == 302
    course.refresh_from_db()
    assert course.texts == {f"activity:{activity.pk}": "Fortæl om {own_example}."}


def test_an_untouched_form_sent_with_browser_line_breaks_stores_nothing(course, texts_url, facilitator_client):
    activity = meeting_activity(course)
    activity.prompt = "Linje et.\nLinje to med {touchpoint}."
    activity.save()
    data = form_data(facilitator_client, texts_url)
    data[f"activity_{activity.pk}"] = data[f"activity_{activity.pk}"].replace("\n", "\r\n")  # as browsers send it
    assert facilitator_client.post(texts_url, data).status_code == 302
    course.refresh_from_db()
    assert course.texts == {}


def test_texts_that_are_not_a_dictionary_are_ignored(course, facilitator_client):
    course.texts = ["sat forkert i admin"]
    course.save()
    question = first_question(course)
    assert course.question_text(question) == question.text
    assert facilitator_client.get(reverse("dialogue:course", args=[course.pk])).status_code == 200
