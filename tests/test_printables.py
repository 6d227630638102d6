"""The printed documents: each renders as a tagged PDF holding the course's data, for members only."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from borgerblik.pdf import PrintFetcher, RefusedResource, render_pdf
from interviews.models import ReflectionSheet, SheetStatus
from sessions.decorators import participant_remember
from sessions.models import Card, Dot, Group, GroupKind, MethodProposal, Participant, Surprise, Zone
from sessions.printables import DOCUMENTS

CPH = ZoneInfo("Europe/Copenhagen")


def pdf_url(course, name):
    return reverse("dialogue:printable", args=[course.pk, name])


def pdf_text(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()


@pytest.fixture
def meeting_course(course, touchpoints):
    course.chosen_touchpoint = touchpoints[0]
    course.meeting_starts_at = datetime(2026, 3, 10, 13, 0, tzinfo=CPH)
    course.meeting_place = "Mødelokale Havnen"
    course.save()
    return course


@pytest.fixture
def with_cards(meeting_course):
    first = Card.objects.create(course=meeting_course, zone=Zone.POSITIVE, text="Kan bestille tid døgnet rundt")
    Card.objects.create(course=meeting_course, zone=Zone.POSITIVE, text="Kan booke om natten", merged_into=first)
    Card.objects.create(course=meeting_course, zone=Zone.NEGATIVE, text="Svære fagord på siden", starred=True)
    Card.objects.create(course=meeting_course, zone=Zone.NEGATIVE, text="Lille skrift på mobilen")
    Card.objects.create(course=meeting_course, zone=Zone.NEGATIVE, text="Skjult kort fra en prøve", hidden=True)
    return meeting_course


@pytest.fixture
def with_sheets(meeting_course, add_participants):
    people = add_participants(3)
    for index, person in enumerate(people):
        ReflectionSheet.objects.create(
            participant=person,
            status=SheetStatus.SUBMITTED,
            experience=index + 2,
            answers={
                "context": f"Bookede tid nummer {index}",
                "positives": ["Hurtigt"],
                "negatives": ["Svært sprog"],
                "surprises": "At det gik så hurtigt",
                "learnings": f"Læring nummer {index}",
            },
        )
    group = Group.objects.create(
        course=meeting_course, kind=GroupKind.SURPRISES, number=1, notes="Mange får hjælp af pårørende."
    )
    group.members.set(people[:2])
    return meeting_course


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_it_renders_every_document_for_the_facilitator(facilitator_client, with_cards, with_sheets, name):
    response = facilitator_client.get(pdf_url(with_cards, name))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert 1 <= len(reader.pages) <= 12
    assert reader.metadata.title.endswith("Tidsbestilling")


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_a_stranger_gets_404(stranger_client, course, name):
    assert stranger_client.get(pdf_url(course, name)).status_code == 404


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client, course):
    response = client.get(pdf_url(course, "m1"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_unknown_document_is_404(facilitator_client, course):
    assert facilitator_client.get(pdf_url(course, "m9")).status_code == 404


def test_the_leader_gets_the_summary(leader_client, with_cards):
    assert leader_client.get(pdf_url(with_cards, "opsamling")).status_code == 200


def test_the_leader_does_not_get_everyones_filled_sheets(leader_client, with_sheets):
    assert leader_client.get(pdf_url(with_sheets, "m2-udfyldt")).status_code == 403


def test_post_is_not_allowed(facilitator_client, course):
    assert facilitator_client.post(pdf_url(course, "m1")).status_code == 405


def test_m1_is_one_page_with_the_touchpoint_in_the_questions(facilitator_client, meeting_course):
    text, pages = pdf_text(facilitator_client.get(pdf_url(meeting_course, "m1")).content)
    assert pages == 1
    assert "Hvad fungerer godt for dig, når du bruger Online tidsbestilling?" in text.replace("\n", " ")
    assert "spørgsmål 2" in text.lower()


def test_m2_blank_holds_the_fields_of_the_sheet(facilitator_client, meeting_course):
    text, pages = pdf_text(facilitator_client.get(pdf_url(meeting_course, "m2")).content)
    assert 1 <= pages <= 2
    assert "Positive virkninger for borgeren" in text
    assert "Det kan vi lære" in text


def test_m2_filled_holds_every_sheet(facilitator_client, with_sheets):
    text, pages = pdf_text(facilitator_client.get(pdf_url(with_sheets, "m2-udfyldt")).content)
    assert pages >= 3
    for index in range(3):
        assert f"Bookede tid nummer {index}" in text


def test_m2_filled_leaves_drafts_on_the_phone(facilitator_client, with_sheets):
    """A sheet saved with "Gem som kladde" is the participant's until handed in."""
    draft = ReflectionSheet.objects.of_course(with_sheets).first()
    draft.status = SheetStatus.DRAFT
    draft.answers = {**draft.answers, "context": "Kun en kladde endnu"}
    draft.save()
    text, _pages = pdf_text(facilitator_client.get(pdf_url(with_sheets, "m2-udfyldt")).content)
    assert "Kun en kladde endnu" not in text
    assert "Bookede tid nummer 1" in text


def test_m2_filled_names_nobody_in_an_anonymous_course(facilitator_client, with_sheets):
    text, _pages = pdf_text(facilitator_client.get(pdf_url(with_sheets, "m2-udfyldt")).content)
    assert "Deltager 0" not in text


def test_m3_has_date_place_durations_and_clock_times(facilitator_client, meeting_course):
    text, pages = pdf_text(facilitator_client.get(pdf_url(meeting_course, "m3")).content)
    assert pages == 1
    assert "Mødelokale Havnen" in text
    assert "10. marts 2026" in text
    for clock in ["13:00–13:10", "13:10–13:30", "13:30–13:45", "13:45–14:00"]:
        assert clock in text
    assert "20 minutter" in text


def test_m4_cut_cards_tell_positive_from_negative_in_words(facilitator_client, meeting_course):
    text, pages = pdf_text(facilitator_client.get(pdf_url(meeting_course, "m4")).content)
    assert pages == 2
    assert text.count("POSITIV virkning") == 8
    assert text.count("NEGATIV virkning") == 8


def test_the_meeting_cards_show_merged_counts_and_leave_hidden_cards_out(facilitator_client, with_cards):
    text, _pages = pdf_text(facilitator_client.get(pdf_url(with_cards, "kort")).content)
    assert "Kan bestille tid døgnet rundt" in text
    assert "2 kort" in text
    assert "Svære fagord på siden" in text
    assert "Skjult kort fra en prøve" not in text


def test_the_script_has_every_agenda_item_with_prompts_filled(facilitator_client, meeting_course):
    text, pages = pdf_text(facilitator_client.get(pdf_url(meeting_course, "drejebog")).content)
    assert pages >= 2
    assert "Borgernes reaktioner" in text
    assert "Online tidsbestilling" in text
    assert "13:10–13:30" in text
    assert "{touchpoint}" not in text


def test_the_summary_holds_figures_effects_surprises_and_learnings(facilitator_client, with_cards, with_sheets):
    text, pages = pdf_text(facilitator_client.get(pdf_url(with_cards, "opsamling")).content)
    flat = text.replace("\n", " ")
    assert 2 <= pages <= 6
    assert "Online tidsbestilling" in flat
    assert "Svære fagord på siden" in flat
    assert "(2 kort)" in flat
    assert "Mange får hjælp af pårørende." in flat
    assert "Læring nummer 2" in flat
    assert "Skjult kort fra en prøve" not in flat


def test_the_summary_holds_what_the_meeting_produced(facilitator_client, meeting_course, add_participants):
    """Surprises posted by the groups and the proposals ranked by dots, as the phones sent them."""
    a, b, c = add_participants(3)
    group = Group.objects.create(course=meeting_course, kind=GroupKind.SURPRISES, number=2)
    group.members.set([a, b])
    Surprise.objects.create(group=group, author=a, text="Mange ringer hellere end at booke")
    panel = MethodProposal.objects.create(course=meeting_course, author=a, text="Et borgerpanel")
    smiley = MethodProposal.objects.create(course=meeting_course, author=b, text="Smiley-standere ved udgangen")
    for person in (a, b, c):
        Dot.objects.create(participant=person, proposal=smiley)
    Dot.objects.create(participant=a, proposal=panel)
    url = pdf_url(meeting_course, "opsamling")
    text = pdf_text(facilitator_client.get(url).content)[0].replace("\n", " ")
    assert "Mange ringer hellere end at booke" in text
    assert text.index("Smiley-standere ved udgangen 3") < text.index("Et borgerpanel 1")
    # A dot more is a new summary, not the cached one.
    Dot.objects.create(participant=c, proposal=panel)
    again = facilitator_client.get(url)
    assert again["X-Print-Cache"] == "miss" and "Et borgerpanel 2" in pdf_text(again.content)[0]


def test_the_summary_lists_starred_effects_first(facilitator_client, with_cards):
    text, _pages = pdf_text(facilitator_client.get(pdf_url(with_cards, "opsamling")).content)
    assert text.index("Svære fagord på siden") < text.index("Lille skrift på mobilen")


def test_the_summary_names_nobody_in_an_anonymous_course(facilitator_client, with_sheets):
    text, _pages = pdf_text(facilitator_client.get(pdf_url(with_sheets, "opsamling")).content)
    assert "Deltager 0" not in text
    assert "Deltager 1" not in text


def test_the_summary_names_those_who_signed_when_the_course_is_not_anonymous(facilitator_client, with_sheets):
    with_sheets.anonymous = False
    with_sheets.save()
    text, _pages = pdf_text(facilitator_client.get(pdf_url(with_sheets, "opsamling")).content)
    assert "Deltager 0" in text


def test_the_summary_leaves_out_sections_without_data(facilitator_client, meeting_course):
    text, _pages = pdf_text(facilitator_client.get(pdf_url(meeting_course, "opsamling")).content)
    assert "Fastholde" not in text
    assert "Prøvehandlinger" not in text
    assert "Fotos af kortvæggen" not in text


def test_the_summary_prints_methods_decisions_and_trial_actions_when_given(meeting_course):
    from sessions.printables import course_for_print, summary_context

    course = course_for_print(meeting_course.pk)
    context = {
        **summary_context(course),
        "methods": [{"text": "Smileystander ved udgangen", "dots": 7}],
        "decisions": {"keep": ["Sms-påmindelsen"], "develop": ["Sproget på siden"], "stop": ["Papirblanketten"]},
        "trial_actions": [{"title": "Enklere ord", "action": "Skriv siden om med hverdagsord"}],
    }
    pdf = render_pdf("print/summary.html", context, title="Opsamling", language="da")
    text, _pages = pdf_text(pdf)
    for expected in ["Smileystander ved udgangen", "Fastholde", "Papirblanketten", "Skriv siden om med hverdagsord"]:
        assert expected in text


def test_html_in_card_text_is_printed_literally(facilitator_client, meeting_course):
    Card.objects.create(course=meeting_course, zone=Zone.NEGATIVE, text='<b>Fed</b> & <img src="file:///etc/passwd">')
    text, _pages = pdf_text(facilitator_client.get(pdf_url(meeting_course, "kort")).content)
    assert "<b>Fed</b> &" in text
    assert '<img src="file:///etc/passwd">' in text.replace("\n", "")


def test_english_users_get_an_english_language_tag(facilitator_client, meeting_course):
    facilitator_client.cookies["django_language"] = "en"
    content = facilitator_client.get(pdf_url(meeting_course, "m1")).content
    assert PdfReader(io.BytesIO(content)).trailer["/Root"]["/Lang"] == "en"


def test_danish_is_the_default_language_of_the_pdf(facilitator_client, meeting_course):
    content = facilitator_client.get(pdf_url(meeting_course, "m1")).content
    assert PdfReader(io.BytesIO(content)).trailer["/Root"]["/Lang"] == "da"


def test_an_unchanged_document_comes_from_the_cache(facilitator_client, meeting_course):
    assert facilitator_client.get(pdf_url(meeting_course, "kort"))["X-Print-Cache"] == "miss"
    assert facilitator_client.get(pdf_url(meeting_course, "kort"))["X-Print-Cache"] == "hit"


def test_a_new_card_renders_the_document_again(facilitator_client, meeting_course):
    facilitator_client.get(pdf_url(meeting_course, "kort"))
    Card.objects.create(course=meeting_course, zone=Zone.POSITIVE, text="Helt nyt kort")
    response = facilitator_client.get(pdf_url(meeting_course, "kort"))
    assert response["X-Print-Cache"] == "miss"
    assert "Helt nyt kort" in pdf_text(response.content)[0]


def test_a_starred_card_renders_the_summary_again(facilitator_client, with_cards):
    facilitator_client.get(pdf_url(with_cards, "opsamling"))
    Card.objects.filter(text="Lille skrift på mobilen").update(starred=True)
    assert facilitator_client.get(pdf_url(with_cards, "opsamling"))["X-Print-Cache"] == "miss"


def test_a_matching_etag_answers_304(facilitator_client, meeting_course):
    first = facilitator_client.get(pdf_url(meeting_course, "m3"))
    again = facilitator_client.get(pdf_url(meeting_course, "m3"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_a_participant_downloads_own_sheets_from_the_phone(client, with_sheets):
    person = Participant.objects.filter(course=with_sheets).order_by("pk").first()
    response = client.get("/")
    participant_remember(response, person)
    client.cookies.update(response.cookies)
    download = client.get(reverse("dialogue:own_sheets_pdf", args=[with_sheets.pk]))
    text, pages = pdf_text(download.content)
    assert download.status_code == 200
    assert "Bookede tid nummer 0" in text
    assert "Bookede tid nummer 1" not in text


@pytest.mark.parametrize("participants", [3, 60])
def test_summary_queries_do_not_grow_with_participants(
    facilitator_client, meeting_course, add_participants, django_assert_max_num_queries, participants
):
    people = add_participants(participants)
    for person in people:
        ReflectionSheet.objects.create(participant=person, status=SheetStatus.SUBMITTED, experience=3)
        Card.objects.create(course=meeting_course, author=person, zone=Zone.NEGATIVE, text=f"Kort {person.pk}")
    with django_assert_max_num_queries(45):
        assert facilitator_client.get(pdf_url(meeting_course, "opsamling")).status_code == 200


def test_the_course_page_links_every_document(facilitator_client, course):
    page = facilitator_client.get(reverse("dialogue:course", args=[course.pk])).content.decode()
    for name in DOCUMENTS:
        assert pdf_url(course, name) in page


def test_the_course_page_hides_everyones_sheets_from_the_leader(leader_client, course):
    page = leader_client.get(reverse("dialogue:course", args=[course.pk])).content.decode()
    assert pdf_url(course, "opsamling") in page
    assert pdf_url(course, "m2-udfyldt") not in page


class TestFetcher:
    def test_it_serves_the_projects_static_files(self):
        response = PrintFetcher().fetch("https://print.borgerblik.invalid/static/css/print.css")
        assert b"@font-face" in response.read()

    @pytest.mark.parametrize(
        "url",
        [
            "file:///etc/passwd",
            "https://example.com/static/css/print.css",
            "http://print.borgerblik.invalid/static/css/print.css",
            "https://print.borgerblik.invalid/static/../../../../etc/passwd",
            "https://print.borgerblik.invalid/static/%2e%2e/%2e%2e/pyproject.toml",
            "https://print.borgerblik.invalid/media/photos/1/x.jpg",
            "https://print.borgerblik.invalid/print-photos/1/print",
            "data:text/plain,hello",
        ],
    )
    def test_it_refuses_everything_else(self, url):
        with pytest.raises(RefusedResource):
            PrintFetcher().fetch(url)

    def test_it_serves_only_photos_the_opener_knows(self):
        fetcher = PrintFetcher(photo_opener=lambda pk, variant: b"jpeg" if pk == 7 else None)
        assert fetcher.fetch("https://print.borgerblik.invalid/print-photos/7/print").read() == b"jpeg"
        with pytest.raises(RefusedResource):
            fetcher.fetch("https://print.borgerblik.invalid/print-photos/8/print")


def test_the_links_tag_shows_only_the_named_documents(rf, facilitator, course):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = facilitator
    html = Template('{% load printables %}{% printable_links course "m1 m3" %}').render(
        Context({"request": request, "course": course})
    )
    assert pdf_url(course, "m1") in html
    assert pdf_url(course, "m3") in html
    assert pdf_url(course, "m2") not in html


def test_the_next_day_renders_the_document_again_for_the_date_in_the_margin(
    facilitator_client, meeting_course, monkeypatch
):
    from datetime import date

    import borgerblik.pdf

    facilitator_client.get(pdf_url(meeting_course, "m3"))
    monkeypatch.setattr(borgerblik.pdf.timezone, "localdate", lambda: date(2030, 1, 2))
    assert facilitator_client.get(pdf_url(meeting_course, "m3"))["X-Print-Cache"] == "miss"


@pytest.mark.django_db
def test_kickoff_and_meeting_pages_offer_their_printables(facilitator_client, course):
    kickoff = facilitator_client.get(f"/forloeb/{course.pk}/opstart/").content.decode()
    assert f"/forloeb/{course.pk}/print/m1.pdf" in kickoff and f"/forloeb/{course.pk}/print/m2.pdf" in kickoff
    meeting = facilitator_client.get(f"/forloeb/{course.pk}/moede/").content.decode()
    assert f"/forloeb/{course.pk}/print/m4.pdf" in meeting and f"/forloeb/{course.pk}/print/opsamling.pdf" in meeting
