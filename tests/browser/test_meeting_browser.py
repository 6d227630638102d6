"""A whole follow-up meeting in Chromium: facilitator dashboard, presenter view and six phones."""

import time

import pytest
from playwright.sync_api import expect

from interviews.models import ReflectionSheet
from sessions.meeting import read_sequence
from sessions.models import Card, Dot, Group, GroupKind, Meeting, MethodProposal, Participant

from ..phones import participant_cookie
from .conftest import LAPTOP, PHONE, SMALLEST

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def settled(page):
    """Wait until the phone's form belongs to the step its status shows and no new form is on its way
    (checked twice, a poll apart, so a status answer still in flight on a slow machine is seen)."""
    for wait in (0, 2100):
        page.wait_for_timeout(wait)
        page.wait_for_function(
            "() => document.querySelector('#phone-status').dataset.step"
            " === document.querySelector('#phone-form').dataset.step"
            " && !document.querySelector('#phone-form').hasAttribute('data-loading')"
        )


def phone_context(browser, live_server, participant):
    context = browser.new_context(viewport=PHONE)
    name, value = participant_cookie(participant)
    context.add_cookies([{"name": name, "value": value, "url": live_server.url}])
    return context


def test_whole_meeting(browser, live_server, course, facilitator, login, visit, axe):
    people = []
    for i in range(6):
        p = Participant.objects.create(course=course, display_name=f"Deltager {i + 1}")
        ReflectionSheet.objects.create(
            participant=p,
            status="submitted",
            answers={"positives": [f"Nemt at bestille {i}"], "negatives": [f"Svært at finde knappen {i}"]},
        )
        people.append(p)
    base = live_server.url
    dash_context = browser.new_context(viewport=LAPTOP)
    dash = dash_context.new_page()
    login(dash, facilitator.username)
    visit(dash, f"{base}/forloeb/{course.pk}/moede/")
    dash.get_by_role("button", name="Start mødet").click()
    dash.wait_for_load_state()
    expect(dash.get_by_role("heading", name="Nu: punkt 2 – Introduktion")).to_be_visible()
    dash.keyboard.press("i")  # next agenda item
    expect(dash.get_by_role("heading", name="Nu: punkt 3 – Borgernes reaktioner")).to_be_visible()
    dash.get_by_role("button", name="Bland zonerne igen").click()
    expect(dash.get_by_text("Positiv zone: 3 · Negativ zone: 3")).to_be_visible()
    visit(dash, f"{base}/forloeb/{course.pk}/moede/")

    presenter = dash_context.new_page()
    visit(presenter, f"{base}/forloeb/{course.pk}/skaerm/moede/")

    phones = []
    for p in people:
        page = phone_context(browser, live_server, p).new_page()
        page.goto(f"{base}/deltager/{course.pk}/moede/")
        phones.append(page)
    expect(phones[0].get_by_text("zone", exact=False).first).to_be_visible()
    from tests.browser.conftest import assert_accessible

    assert_accessible(axe, phones[0])

    dash.keyboard.press("n")  # card round
    expect(dash.get_by_role("heading", name="Skriv én virkning på hvert kort")).to_be_visible()
    dash.get_by_role("button", name="Vis kortene på skærmen").click()
    expect(dash.get_by_role("button", name="Vis kun antal på skærmen")).to_be_visible()

    zones = {p.pk: p.zone for p in Participant.objects.filter(course=course)}
    negative_phones = [ph for ph, p in zip(phones, people, strict=True) if zones[p.pk] == "negative"]
    positive_phones = [ph for ph, p in zip(phones, people, strict=True) if zones[p.pk] == "positive"]
    for page in phones:
        expect(page.get_by_label("Én virkning pr. kort")).to_be_visible(timeout=6000)
    assert_accessible(axe, negative_phones[0])
    negative_phones[0].set_viewport_size(SMALLEST)
    assert_accessible(axe, negative_phones[0])
    assert negative_phones[0].evaluate("document.documentElement.scrollWidth") <= SMALLEST["width"]
    negative_phones[0].set_viewport_size(PHONE)

    # A CPR number is refused in the form, with the text kept.
    writer = negative_phones[0]
    box = writer.get_by_label("Én virkning pr. kort")
    box.fill("Borgeren 010190-1234 kunne ikke logge ind")
    writer.get_by_role("button", name="Send kortet").click()
    expect(writer.get_by_role("alert")).to_contain_text("CPR-nummer")
    expect(writer.get_by_label("Én virkning pr. kort")).to_have_value("Borgeren 010190-1234 kunne ikke logge ind")
    assert_accessible(axe, writer)
    # A dropped connection says so and keeps the text; the same tap works once the phone is back.
    writer.get_by_label("Én virkning pr. kort").fill("Man skal logge ind to gange")
    writer.context.set_offline(True)
    writer.get_by_role("button", name="Send kortet").click()
    expect(writer.get_by_role("alert")).to_contain_text("ingen forbindelse")
    expect(writer.get_by_label("Én virkning pr. kort")).to_have_value("Man skal logge ind to gange")
    writer.context.set_offline(False)
    assert not Card.objects.filter(course=course).exists()
    started = time.monotonic()
    negative_phones[0].get_by_role("button", name="Send kortet").click()
    expect(presenter.get_by_text("Man skal logge ind to gange")).to_be_visible(timeout=3000)
    latency = time.monotonic() - started
    print(f"card on presenter after {latency:.2f} s")
    assert latency < 3

    # One-tap suggestions from each phone's own sheet; a double tap stores one card.
    for page in negative_phones[1:] + positive_phones:
        suggestion = page.locator(".suggestion").first
        suggestion.dblclick()
        expect(page.get_by_text("Kortet er sendt.")).to_be_visible()
    negative_phones[1].get_by_label("Én virkning pr. kort").fill("Man skal logge ind to gange")
    negative_phones[1].get_by_role("button", name="Send kortet").click()
    expect(negative_phones[1].locator("#phone-my-cards li").last).to_contain_text("Man skal logge ind to gange")
    assert Card.objects.filter(course=course).count() == 7
    assert_accessible(axe, presenter)

    # Merge the two identical negative cards on the dashboard (K opens the list of all cards).
    dash.reload()
    dash.keyboard.press("k")
    duplicates = Card.objects.filter(course=course, text="Man skal logge ind to gange").order_by("pk")
    for card in duplicates:
        dash.locator(f"#card-{card.pk}").check()
    dash.get_by_role("button", name="Læg de valgte kort sammen").click()
    expect(dash.locator(f"#card-{duplicates[0].pk} + label")).to_contain_text("×2")
    assert Card.objects.filter(course=course, merged_into=duplicates[0]).count() == 1
    expect(presenter.get_by_text("×2").first).to_be_visible(timeout=3000)

    # Someone still typing when the round ends keeps what they wrote, read-only, to copy.
    positive_phones[0].get_by_label("Én virkning pr. kort").fill("Svaret kom først dagen efter")

    # Read aloud: negatives first, then positives.
    dash.keyboard.press("n")
    expect(dash.get_by_role("heading", name="Gennemgå de negative virkninger")).to_be_visible()
    kept = positive_phones[0].get_by_label("Det du nåede at skrive, før mødet gik videre", exact=False)
    expect(kept).to_have_value("Svaret kom først dagen efter", timeout=6000)
    expect(positive_phones[0].get_by_label("Én virkning pr. kort")).to_have_count(0)
    assert_accessible(axe, positive_phones[0])
    sequence = read_sequence(course)
    assert [c.zone for c in sequence] == ["negative"] * 3 + ["positive"] * 3
    for number, card in enumerate(sequence, start=1):
        big = presenter.locator(".read-card")
        expect(big.locator("p")).to_have_text(card.text, timeout=3000)
        expect(big.locator("figcaption")).to_contain_text("Negativ" if card.zone == "negative" else "Positiv")
        expect(dash.get_by_text(f"Læses op ({number} af 6)")).to_be_visible()
        if number == 1:
            assert_accessible(axe, presenter)
        if number < len(sequence):
            dash.keyboard.press("ArrowRight")
            expect(dash.get_by_text(f"Læses op ({number + 1} af 6)")).to_be_visible()

    # Item 4: groups of four (six people: two groups of three).
    dash.keyboard.press("i")
    expect(dash.get_by_role("heading", name="Nu: punkt 4 – Hvad har overrasket os?")).to_be_visible()
    dash.get_by_role("button", name="Dan grupper på fire").click()
    expect(dash.get_by_role("button", name="Dan nye grupper")).to_be_visible()
    assert sorted(g.members.count() for g in Group.objects.filter(kind=GroupKind.SURPRISES)) == [3, 3]
    expect(presenter.get_by_text("Gruppe om overraskelser 1")).to_be_visible(timeout=3000)
    expect(phones[0].get_by_label("Hvad overraskede jer?")).to_be_visible(timeout=6000)
    settled(phones[0])
    phones[0].get_by_label("Hvad overraskede jer?").fill("Mange ringer i stedet")
    phones[0].get_by_role("button", name="Send til gruppen").click()
    expect(phones[0].get_by_text("Overraskelsen er sendt til gruppen.")).to_be_visible()
    assert_accessible(axe, phones[0])
    visit(dash, f"{base}/forloeb/{course.pk}/moede/")

    # The round-up: one group at a time on the projector, arrow keys on the dashboard.
    dash.keyboard.press("n")
    expect(presenter.get_by_text("Gruppe 1 af 2 fortæller")).to_be_visible(timeout=3000)
    assert_accessible(axe, presenter)
    dash.keyboard.press("ArrowRight")
    expect(presenter.get_by_text("Gruppe 2 af 2 fortæller")).to_be_visible(timeout=3000)
    expect(dash.get_by_text("På skærmen: Gruppe om overraskelser 2 (2 af 2)")).to_be_visible()
    presenter.screenshot(path="/tmp/meeting_roundup.png")
    assert_accessible(axe, dash)

    # Item 5: pairs, proposals, dots.
    dash.keyboard.press("i")
    expect(dash.get_by_role("heading", name="Nu: punkt 5 – Hvad kan vi lære?")).to_be_visible()
    dash.get_by_role("button", name="Dan makkerpar").click()
    expect(dash.get_by_role("button", name="Dan nye makkerpar")).to_be_visible()
    assert sorted(g.members.count() for g in Group.objects.filter(kind=GroupKind.PAIR)) == [2, 2, 2]
    expect(phones[1].get_by_text("Din makker:")).to_be_visible(timeout=6000)
    expect(phones[1].get_by_text("Din makker:")).not_to_contain_text(",")
    dash.keyboard.press("n")
    expect(dash.get_by_role("heading", name="Forslag og prikker")).to_be_visible()
    dash.keyboard.press("s")  # opens "Skriv for en deltager"
    dash.get_by_label("Forslag til en anden måde at lære på").fill("Et borgerpanel")
    dash.get_by_role("button", name="Tilføj forslag").click()
    expect(dash.get_by_role("status").filter(has_text="Forslaget er tilføjet.")).to_be_visible()
    expect(dash.locator("#opgave")).to_contain_text("Et borgerpanel")
    expect(phones[2].get_by_label("Dit forslag")).to_be_visible(timeout=6000)
    settled(phones[2])
    phones[2].get_by_label("Dit forslag").fill("Smiley-standere i borgerservice")
    phones[2].get_by_role("button", name="Send forslaget").click()
    expect(phones[2].get_by_text("Forslaget er sendt.")).to_be_visible()
    for page in phones[:3]:
        # Colleagues' proposals appear on every phone without a reload.
        expect(page.locator(".dots li", has_text="Smiley-standere")).to_be_visible(timeout=3000)
        for _ in range(3):
            before = Dot.objects.count()
            page.locator(".dots li", has_text="Smiley-standere").get_by_role("button", name="Sæt prik").click(
                timeout=5000
            )
            expect(page.locator(".dots li", has_text="Smiley-standere")).to_contain_text(f"{before % 3 + 1} af dine")
        expect(page.get_by_text("Du har 0 prikker tilbage")).to_be_visible()
    assert_accessible(axe, phones[2])
    assert Dot.objects.count() == 9
    expect(presenter.locator(".meeting-presenter__proposals li").first).to_contain_text("Smiley-standere")
    expect(presenter.locator(".meeting-presenter__proposals li").first).to_contain_text("9 prikker")
    assert MethodProposal.objects.count() == 2
    assert_accessible(axe, presenter)
    assert Meeting.objects.get(course=course).activity.key == "methods"

    # The end: the projector and the phones say thank you; the dashboard offers the summary.
    dash.keyboard.press("n")
    expect(dash.get_by_role("heading", name="Afrunding")).to_be_visible()
    dash.get_by_role("button", name="Afslut mødet").click()
    expect(dash.get_by_role("link", name="Hent opsamlingen (PDF)")).to_be_visible()
    expect(presenter.get_by_role("heading", name="Tak for i dag")).to_be_visible(timeout=3000)
    # The closing item's own instruction on the phone also reads "Tak for i dag!" until the status
    # polls, so wait for the ended meeting's own words in both parts of the phone.
    expect(phones[0].get_by_text("Mødet er slut.", exact=True)).to_be_visible(timeout=6000)
    expect(phones[0].get_by_text("Jeres kort, overraskelser og forslag er gemt", exact=False)).to_be_visible()
    for page in (dash, presenter, phones[0]):
        assert_accessible(axe, page)
    presenter.screenshot(path="/tmp/meeting_presenter.png", full_page=True)
    phones[2].screenshot(path="/tmp/meeting_phone.png", full_page=True)
    dash.screenshot(path="/tmp/meeting_dashboard.png", full_page=True)
