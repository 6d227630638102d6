"""Preparation: the touchpoint list, creating and editing a course, the ticked checklist."""

import pytest

from sessions.models import ChecklistItem, ChecklistStage, ChecklistTick, Course, Touchpoint


def tp_url(workplace):
    return f"/arbejdsplads/{workplace.pk}/servicemoeder/"


@pytest.mark.django_db
def test_the_facilitator_sees_the_touchpoint_list(facilitator_client, workplace, touchpoints):
    response = facilitator_client.get(tp_url(workplace))
    assert response.status_code == 200
    assert "Selvbetjeningsskærm" in response.content.decode()


@pytest.mark.django_db
def test_a_leader_reads_the_list_but_cannot_add(leader_client, workplace, touchpoints):
    assert leader_client.get(tp_url(workplace)).status_code == 200
    assert leader_client.post(tp_url(workplace), {"name": "Ny"}).status_code == 403
    assert not Touchpoint.objects.filter(name="Ny").exists()


@pytest.mark.django_db
def test_a_stranger_gets_404(stranger_client, workplace):
    assert stranger_client.get(tp_url(workplace)).status_code == 404


@pytest.mark.django_db
def test_a_touchpoint_is_added_with_a_description(facilitator_client, workplace):
    response = facilitator_client.post(tp_url(workplace), {"name": "Chatbot", "description": "På hjemmesiden"})
    assert response.status_code == 302
    assert workplace.touchpoints.get(name="Chatbot").description == "På hjemmesiden"


@pytest.mark.django_db
def test_a_duplicate_name_is_refused_and_kept(facilitator_client, workplace, touchpoints):
    response = facilitator_client.post(tp_url(workplace), {"name": "sms-påmindelser", "description": "x"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "har allerede et servicemøde" in body
    assert 'value="sms-påmindelser"' in body


@pytest.mark.django_db
def test_an_empty_name_is_refused(facilitator_client, workplace):
    response = facilitator_client.post(tp_url(workplace), {"name": ""})
    assert "Skriv et navn på servicemødet" in response.content.decode()


@pytest.mark.django_db
def test_a_touchpoint_is_edited(facilitator_client, workplace, touchpoints):
    url = f"{tp_url(workplace)}{touchpoints[0].pk}/"
    assert facilitator_client.get(url).status_code == 200
    facilitator_client.post(url, {"name": "Tidsbestilling online", "description": ""})
    touchpoints[0].refresh_from_db()
    assert touchpoints[0].name == "Tidsbestilling online"


@pytest.mark.django_db
def test_a_touchpoint_of_another_workplace_cannot_be_edited(facilitator_client, workplace, stranger):
    foreign = Touchpoint.objects.create(workplace=stranger.workplaces.get(), name="Fremmed")
    assert facilitator_client.get(f"{tp_url(workplace)}{foreign.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_touchpoint_is_archived_and_restored(facilitator_client, workplace, touchpoints):
    url = f"{tp_url(workplace)}{touchpoints[1].pk}/arkiver/"
    facilitator_client.post(url, {"archived": "1"})
    touchpoints[1].refresh_from_db()
    assert touchpoints[1].archived
    facilitator_client.post(url, {"archived": "0"})
    touchpoints[1].refresh_from_db()
    assert not touchpoints[1].archived


@pytest.mark.django_db
def test_archiving_needs_post(facilitator_client, workplace, touchpoints):
    assert facilitator_client.get(f"{tp_url(workplace)}{touchpoints[1].pk}/arkiver/").status_code == 405


@pytest.mark.django_db
def test_a_new_workplace_is_offered_the_examples(facilitator_client, workplace):
    assert "Tilføj eksemplerne" in facilitator_client.get(tp_url(workplace)).content.decode()
    facilitator_client.post(f"{tp_url(workplace)}eksempler/")
    names = set(workplace.touchpoints.values_list("name", flat=True))
    assert {"Booke en tid", "Tjekke ind på skærmen", "Bruge appen", "SMS-påmindelser"} <= names
    facilitator_client.post(f"{tp_url(workplace)}eksempler/")
    assert workplace.touchpoints.count() == 6


@pytest.mark.django_db
def test_a_course_is_created(facilitator_client, workplace, touchpoints, tool):
    response = facilitator_client.post(
        "/forloeb/nyt/",
        {
            "workplace": workplace.pk,
            "title": "Selvbetjening",
            "proposed_touchpoint": touchpoints[1].pk,
            "meeting_date": "2026-12-10",
            "meeting_time": "13:30",
            "meeting_place": "Mødelokale 2",
            "interview_deadline": "2026-12-08",
            "anonymous": "on",
        },
    )
    course = Course.objects.get(title="Selvbetjening")
    assert response["Location"] == f"/forloeb/{course.pk}/forberedelse/"
    assert course.proposed_touchpoint == touchpoints[1]
    assert course.meeting_place == "Mødelokale 2"
    assert course.meeting_starts_at.isoformat().startswith("2026-12-10T12:30")  # 13:30 in Copenhagen
    assert course.join_code


@pytest.mark.django_db
def test_a_deadline_after_the_meeting_is_refused(facilitator_client, workplace, tool):
    response = facilitator_client.post(
        "/forloeb/nyt/",
        {"workplace": workplace.pk, "title": "X", "meeting_date": "2026-12-10", "interview_deadline": "2026-12-11"},
    )
    assert response.status_code == 400
    assert "før opsamlingsmødet" in response.content.decode()
    assert not Course.objects.filter(title="X").exists()


@pytest.mark.django_db
def test_a_leader_cannot_create_a_course(leader_client, workplace, tool):
    assert leader_client.get("/forloeb/nyt/").status_code == 403


@pytest.mark.django_db
def test_a_course_is_edited(facilitator_client, course):
    url = f"/forloeb/{course.pk}/ret/"
    assert facilitator_client.get(url).status_code == 200
    facilitator_client.post(url, {"title": "Nyt navn", "meeting_date": "2026-12-10", "meeting_time": "09:00"})
    course.refresh_from_db()
    assert course.title == "Nyt navn"


@pytest.mark.django_db
def test_a_leader_cannot_edit_a_course(leader_client, course):
    assert leader_client.get(f"/forloeb/{course.pk}/ret/").status_code == 403


@pytest.mark.django_db
def test_the_checklist_is_ticked_and_kept(facilitator_client, course):
    item = ChecklistItem.objects.filter(tool=course.tool, stage=ChecklistStage.BEFORE_KICKOFF).first()
    facilitator_client.post(f"/forloeb/{course.pk}/forberedelse/{item.pk}/", {"done": "1"})
    assert ChecklistTick.objects.filter(course=course, item=item).exists()
    body = facilitator_client.get(f"/forloeb/{course.pk}/forberedelse/").content.decode()
    assert "1 af" in body
    facilitator_client.post(f"/forloeb/{course.pk}/forberedelse/{item.pk}/", {"done": "0"})
    assert not ChecklistTick.objects.exists()


@pytest.mark.django_db
def test_the_leader_reads_the_checklist_without_buttons(leader_client, course):
    response = leader_client.get(f"/forloeb/{course.pk}/forberedelse/")
    assert response.status_code == 200
    assert "Kun læseadgang" in response.content.decode()
    assert 'checkbox-button"' not in response.content.decode()
    item = ChecklistItem.objects.filter(tool=course.tool).first()
    assert leader_client.post(f"/forloeb/{course.pk}/forberedelse/{item.pk}/", {"done": "1"}).status_code == 403


@pytest.mark.django_db
def test_a_stranger_cannot_see_the_checklist(stranger_client, course):
    assert stranger_client.get(f"/forloeb/{course.pk}/forberedelse/").status_code == 404


@pytest.mark.django_db
def test_the_home_and_course_pages_link_the_new_pages(facilitator_client, course, workplace):
    home = facilitator_client.get("/").content.decode()
    assert "/forloeb/nyt/" in home
    assert tp_url(workplace) in home
    page = facilitator_client.get(f"/forloeb/{course.pk}/").content.decode()
    for part in ("forberedelse/", "opstart/", "skaerm/opstart/", "invitation/", "interviewperiode/"):
        assert f"/forloeb/{course.pk}/{part}" in page


@pytest.mark.django_db
def test_the_leader_course_page_hides_facilitator_links(leader_client, course):
    page = leader_client.get(f"/forloeb/{course.pk}/").content.decode()
    assert f"/forloeb/{course.pk}/forberedelse/" in page
    assert f"/forloeb/{course.pk}/opstart/" not in page


def _sheet_of(course, name):
    from interviews.models import ReflectionSheet, SheetStatus
    from sessions.models import Participant

    participant = Participant.objects.create(course=course, display_name=name)
    return ReflectionSheet.objects.create(participant=participant, status=SheetStatus.SUBMITTED, answers={})


def _edit(client, course, anonymous: bool):
    data = {"title": course.title, "meeting_date": "2026-12-10", "meeting_time": "09:00"}
    if anonymous:
        data["anonymous"] = "on"
    return client.post(f"/forloeb/{course.pk}/ret/", data)


@pytest.mark.django_db
def test_anonymity_cannot_be_switched_off_once_anybody_has_written(facilitator_client, course):
    """Unticking it afterwards would name the authors of sheets written while it was anonymous."""
    assert course.anonymous
    _sheet_of(course, "Anne Skriver")
    response = _edit(facilitator_client, course, anonymous=False)
    assert response.status_code == 400
    assert "deltagerne har skrevet i tillid til, at de var anonyme" in response.content.decode()
    course.refresh_from_db()
    assert course.anonymous
    export = facilitator_client.get(f"/forloeb/{course.pk}/eksport/ark.csv").content.decode("utf-8-sig")
    assert "Anne Skriver" not in export


@pytest.mark.django_db
def test_anonymity_can_be_switched_off_before_anything_is_written(facilitator_client, course):
    _edit(facilitator_client, course, anonymous=False)
    course.refresh_from_db()
    assert not course.anonymous


@pytest.mark.django_db
def test_anonymity_switched_on_afterwards_hides_the_names_already_written(facilitator_client, course):
    Course.objects.filter(pk=course.pk).update(anonymous=False)
    _sheet_of(course, "Anne Skriver")
    course.refresh_from_db()
    url = f"/forloeb/{course.pk}/eksport/ark.csv"
    assert "Anne Skriver" in facilitator_client.get(url).content.decode("utf-8-sig")
    _edit(facilitator_client, course, anonymous=True)
    course.refresh_from_db()
    assert course.anonymous
    assert "Anne Skriver" not in facilitator_client.get(url).content.decode("utf-8-sig")
