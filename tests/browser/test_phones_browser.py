"""Phones that must not go stale or lose a letter (issue 11), each driven as a person would in Chromium.

Typing is real key presses (press_sequentially) at a fast pace, with a slow answer in flight where it
matters: the route handler holds the request while the Playwright driver keeps typing on its own.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from interviews.models import ReflectionSheet, SheetStatus
from sessions import meeting as svc
from sessions import services
from sessions.models import Card, CoursePhase, Dot, MethodProposal, Participant, Proposal

from ..phones import join_as
from ..test_meeting import go_to as meeting_at
from .conftest import LAPTOP, PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_POLL_MS = 5_000  # participant_home polls every 5 s
MEETING_POLL_MS = 2_000


def phone_page(browser, live_server, participant):
    page = browser.new_context(viewport=PHONE).new_page()
    join_as(page, live_server, participant)
    return page


class Held:
    """Holds the phone's POSTs (page.route) until released, so an answer arrives while keys are still
    being pressed. A route handler that slept would hold up the test's own key presses as well."""

    def __init__(self, page, pattern):
        self.routes = []
        page.route(pattern, self.hold)

    def hold(self, route):
        if route.request.method == "POST":
            self.routes.append(route)
        else:
            route.continue_()

    def release(self):
        assert self.routes, "no request was held"
        self.routes.pop(0).continue_()


def near(page, locator, anchor, within=160, on_screen=True):
    """The locator's box is within `within` px of the anchor's box (and on screen)."""
    box, other = locator.bounding_box(), anchor.bounding_box()
    assert box and other, "not rendered"
    gap = max(other["y"] - (box["y"] + box["height"]), box["y"] - (other["y"] + other["height"]), 0)
    assert gap <= within, f"{gap:.0f} px between the message and the button"
    if on_screen:
        expect(locator).to_be_in_viewport()


# --- the kick-off phone follows the course ------------------------------------------------------


def test_the_phone_moves_on_with_the_course_and_says_so_until_tapped(
    browser, live_server, visit, axe, course, touchpoints, facilitator
):
    mia = Participant.objects.create(course=course, display_name="Mia")
    phone = phone_page(browser, live_server, mia)
    visit(phone, f"{live_server.url}/deltager/{course.pk}/")
    expect(phone.get_by_role("button", name="Stem")).to_be_visible()

    services.touchpoint_choose(course=course, touchpoint=touchpoints[2])  # the facilitator confirms
    notice = phone.get_by_text("Forløbet er gået videre")
    expect(notice).to_be_visible(timeout=PHONE_POLL_MS + 5_000)
    expect(phone.get_by_text("Spørg mindst én borger om oplevelsen af SMS-påmindelser")).to_be_visible()
    expect(phone.get_by_role("button", name="Stem")).to_have_count(0)
    phone.wait_for_timeout(2 * PHONE_POLL_MS + 1_000)  # two more polls: the notice and the new step stay
    expect(notice).to_be_visible()
    expect(phone.get_by_role("button", name="Stem")).to_have_count(0)
    expect(phone.get_by_text("Spørg mindst én borger om oplevelsen af SMS-påmindelser")).to_be_visible()
    assert_accessible(axe, phone)
    phone.get_by_role("link", name="Se, hvad du skal nu").click()
    expect(notice).to_have_count(0)
    expect(phone.get_by_text("Spørg mindst én borger om oplevelsen af SMS-påmindelser")).to_be_visible()

    svc.meeting_start(course=course, by=facilitator)  # "Start mødet"
    expect(notice).to_be_visible(timeout=PHONE_POLL_MS + 5_000)
    expect(phone.get_by_role("link", name="Gå til mødet")).to_be_visible()
    phone.wait_for_timeout(2 * PHONE_POLL_MS + 1_000)
    expect(notice).to_be_visible()
    expect(phone.get_by_role("link", name="Gå til mødet")).to_be_visible()
    phone.get_by_role("link", name="Gå til mødet").click()
    phone.wait_for_url(f"**/deltager/{course.pk}/moede/")


def test_an_accepted_proposal_reaches_the_phones_vote_list_and_a_choice_in_hand_is_kept(
    browser, live_server, visit, course, touchpoints, facilitator
):
    mia = Participant.objects.create(course=course, display_name="Mia")
    phone = phone_page(browser, live_server, mia)
    visit(phone, f"{live_server.url}/deltager/{course.pk}/")
    phone.get_by_label("Dit forslag til et digitalt servicemøde").fill("Chatbot")
    phone.get_by_role("button", name="Send forslaget").click()
    expect(phone.get_by_text("Tak for dit forslag")).to_be_visible()
    phone.get_by_label(touchpoints[1].name).check()  # chosen, not yet sent

    services.proposal_accept(proposal=Proposal.objects.get(course=course))  # the facilitator puts it on the list
    expect(phone.get_by_label("Chatbot")).to_be_visible(timeout=PHONE_POLL_MS + 5_000)
    expect(phone.get_by_label(touchpoints[1].name)).to_be_checked()
    phone.get_by_label("Chatbot").check()
    phone.get_by_role("button", name="Stem").click()
    expect(phone.get_by_text("Din stemme: Chatbot")).to_be_visible()


# --- typing the next card while the first is on its way -----------------------------------------


@pytest.fixture
def writing(course, facilitator, touchpoints):
    course.chosen_touchpoint = touchpoints[0]
    course.phase = CoursePhase.INTERVIEWS
    course.save()
    ole = Participant.objects.create(course=course, display_name="Ole", zone="negative")
    ReflectionSheet.objects.create(
        participant=ole,
        status=SheetStatus.SUBMITTED,
        answers={"negatives": ["Svært at finde knappen", "Koden udløber", "Ingen kvittering på mail"]},
    )
    meeting_at(course, facilitator, "card_round")
    return ole


SECOND = "Man kan ikke se, hvornår tiden er bekræftet, så mange ringer for en sikkerheds skyld"


@pytest.mark.parametrize("pace_ms", [20, 60])
def test_typing_the_next_card_while_the_first_is_sending_keeps_every_letter(
    browser, live_server, visit, course, writing, pace_ms
):
    phone = phone_page(browser, live_server, writing)
    visit(phone, f"{live_server.url}/deltager/{course.pk}/moede/")
    box = phone.get_by_label("Én virkning pr. kort")
    box.press_sequentially("Koden til login udløber for hurtigt", delay=pace_ms)
    held = Held(phone, "**/moede/kort/")
    phone.get_by_role("button", name="Send kortet").click()
    box.press("Control+a")  # straight on with the next card, over the one on its way
    box.press_sequentially(SECOND[:20], delay=pace_ms)
    held.release()  # the answer to the first card arrives while the next one is being typed
    box.press_sequentially(SECOND[20:], delay=pace_ms)
    expect(phone.get_by_text("Kortet er sendt.")).to_be_visible()
    typed = box.input_value()
    print(f"pace {pace_ms} ms/key: {len(SECOND) - len(typed)} of {len(SECOND)} characters lost")
    assert typed == SECOND, f"{len(SECOND) - len(typed)} characters lost at {pace_ms} ms per key"
    expect(box).to_be_focused()

    # Typing more after a card while it is on its way: only what was sent is cleared.
    phone.get_by_role("button", name="Send kortet").click()
    box.press("End")
    box.press_sequentially(" – og", delay=pace_ms)
    held.release()
    box.press_sequentially(" så", delay=pace_ms)
    expect(phone.locator("#phone-form li", has_text=SECOND)).to_be_visible()  # "Dine kort"
    expect(box).to_have_value("– og så")
    assert list(Card.objects.order_by("pk").values_list("text", flat=True)) == [
        "Koden til login udløber for hurtigt",
        SECOND,
    ]


# --- refusals where you tap ---------------------------------------------------------------------


def test_a_refused_card_says_so_at_the_button_and_focuses_the_field(browser, live_server, visit, axe, course, writing):
    phone = phone_page(browser, live_server, writing)
    visit(phone, f"{live_server.url}/deltager/{course.pk}/moede/")
    box = phone.get_by_label("Én virkning pr. kort")
    button = phone.get_by_role("button", name="Send kortet")
    box.press_sequentially("Borgeren 010190-1234 ringede", delay=10)
    button.click()
    error = phone.get_by_role("alert").filter(has_text="CPR-nummer")
    expect(error).to_be_visible()
    near(phone, error, button)
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_accessible_description(re.compile("CPR-nummer"))
    expect(box).to_have_value("Borgeren 010190-1234 ringede")
    assert_accessible(axe, phone)

    # No network: said at the button, the text kept.
    phone.context.set_offline(True)
    box.fill("Man skal logge ind to gange")
    button.click()
    offline = phone.get_by_role("alert").filter(has_text="ingen forbindelse")
    expect(offline).to_be_visible()
    near(phone, offline, button)
    expect(box).to_have_value("Man skal logge ind to gange")
    phone.context.set_offline(False)
    button.click()
    expect(phone.get_by_text("Kortet er sendt.")).to_be_visible()
    expect(box).to_have_value("")
    expect(box).not_to_have_attribute("aria-invalid", "true")


@pytest.fixture
def sheet_of(course, touchpoints):
    course.chosen_touchpoint = touchpoints[0]
    course.phase = CoursePhase.INTERVIEWS
    course.save()
    mette = Participant.objects.create(course=course, display_name="Mette")
    return ReflectionSheet.objects.create(participant=mette)


def test_a_sheet_refused_for_a_cpr_number_says_so_at_the_button_and_focuses_the_field(
    page, live_server, visit, axe, sheet_of
):
    page.set_viewport_size(PHONE)
    join_as(page, live_server, sheet_of.participant)
    visit(page, f"{live_server.url}/deltager/{sheet_of.participant.course_id}/ark/{sheet_of.pk}/")
    field = page.get_by_label("Hvordan brugte borgeren servicemødet?")
    field.press_sequentially("Borgeren 010190-1234 bookede en tid", delay=10)
    page.get_by_label("Det kan vi lære").fill("At spørge")
    button = page.get_by_role("button", name="Aflever arket")
    button.click()
    outcome = page.get_by_role("alert").filter(has_text=re.compile("ikke afleveret – ret det markerede felt"))
    expect(outcome).to_be_visible()
    near(page, outcome, button, on_screen=False)  # the focus has gone up to the first field in error since
    date = page.get_by_label("Dato for interviewet")
    expect(date).to_be_focused()  # required to hand in, and above the CPR number
    expect(date).to_have_accessible_description(re.compile("skal udfyldes|påkrævet|udfyld", re.I))
    date.fill("2026-01-15")
    button.click()
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    expect(field).to_have_accessible_description(re.compile("CPR-nummer"))
    assert ReflectionSheet.objects.get().status == SheetStatus.DRAFT
    assert_accessible(axe, page)


def test_a_sheet_typed_offline_says_so_where_you_type(page, live_server, visit, sheet_of):
    page.set_viewport_size(PHONE)
    join_as(page, live_server, sheet_of.participant)
    visit(page, f"{live_server.url}/deltager/{sheet_of.participant.course_id}/ark/{sheet_of.pk}/")
    page.context.set_offline(True)
    field = page.get_by_label("Det kan vi lære")
    field.click()
    field.press_sequentially("Skrevet uden net", delay=20)
    shown = page.get_by_text("Ingen forbindelse – gemmes igen automatisk")
    expect(shown.filter(visible=True).first).to_be_visible()
    on_screen = page.evaluate(
        """text => [...document.querySelectorAll('body *')].some(el => {
             if (el.children.length || !el.textContent.includes(text)) return false;
             const r = el.getBoundingClientRect();
             return r.height > 0 && r.bottom > 0 && r.top < innerHeight;
           })""",
        "Ingen forbindelse",
    )
    assert on_screen, "nothing on screen says the phone is offline while typing"
    page.context.set_offline(False)
    expect(page.get_by_text(re.compile("Gemt kl."))).to_be_visible()


def test_a_wrong_join_code_focuses_the_field_with_its_message(page, live_server, visit, course):
    page.set_viewport_size(PHONE)
    visit(page, f"{live_server.url}/deltag/")
    page.get_by_label("Deltagerkode").fill("ZZZ")
    page.get_by_role("button", name="Fortsæt").click()
    code = page.get_by_label("Deltagerkode")
    expect(code).to_be_focused()
    expect(code).to_have_accessible_description(re.compile("Koden har 6 tegn"))
    visit(page, f"{live_server.url}/j/{course.join_code}/")
    page.get_by_label("Dit navn (valgfrit)").fill("<b>Mia</b>")
    page.get_by_role("button", name="Deltag").click()
    name = page.get_by_label("Dit navn (valgfrit)")
    expect(name).to_be_focused()
    expect(name).to_have_accessible_description(re.compile("må ikke indeholde tegnene"))


def test_a_course_form_with_errors_moves_focus_to_the_summary(page, live_server, login, course, facilitator):
    page.set_viewport_size(LAPTOP)
    login(page, "frida")
    page.goto(f"{live_server.url}/forloeb/nyt/")
    page.get_by_role("button", name=re.compile("Opret|Gem")).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link").first).to_be_visible()


# --- dots: the list stays where the thumb is ----------------------------------------------------


def test_the_dot_list_keeps_its_order_while_others_tap(browser, live_server, visit, course, facilitator):
    ane, bo = (Participant.objects.create(course=course, display_name=name) for name in ("Ane", "Bo"))
    meeting_at(course, facilitator, "methods")
    for text in ("Et borgerpanel", "Smiley-standere", "Fokusgrupper"):
        svc.proposal_post(course=course, by=facilitator, text=text, client_key=uuid.uuid4())
    first, second, third = MethodProposal.objects.order_by("pk")
    phones = {p: phone_page(browser, live_server, p) for p in (ane, bo)}
    for page in phones.values():
        visit(page, f"{live_server.url}/deltager/{course.pk}/moede/")
    rows = phones[ane].locator(".dots li")
    order = ["Et borgerpanel", "Smiley-standere", "Fokusgrupper"]

    def shown(page):
        return [row.split(" ")[0] for row in page.locator(".dots li > span").all_inner_texts()]

    expect(rows).to_have_count(3)
    assert shown(phones[ane]) == [text.split(" ")[0] for text in order]
    # Bo puts all three dots on the last one; then Ane taps the second row, the same spot, three times.
    for tap in range(3):
        phones[bo].locator(".dots li", has_text="Fokusgrupper").get_by_role("button", name="Sæt prik").click()
        expect(phones[bo].get_by_text(f"Du har {2 - tap} prik", exact=False)).to_be_visible()
    phones[ane].wait_for_timeout(2 * MEETING_POLL_MS + 500)
    for tap in range(3):
        assert shown(phones[ane]) == [text.split(" ")[0] for text in order]
        rows.nth(1).get_by_role("button", name="Sæt prik").click()
        expect(phones[ane].get_by_text(f"Du har {2 - tap} prik", exact=False)).to_be_visible()
        phones[ane].wait_for_timeout(MEETING_POLL_MS + 200)
    assert shown(phones[ane]) == [text.split(" ")[0] for text in order]
    assert list(Dot.objects.filter(participant=ane).values_list("proposal_id", flat=True)) == [second.pk] * 3
    assert Dot.objects.filter(participant=bo, proposal=third).count() == 3
    assert first.pk < second.pk < third.pk


# --- read-aloud: the heading follows the card ---------------------------------------------------


def test_reading_aloud_past_the_negatives_moves_the_heading_to_the_positives(
    browser, live_server, visit, login, course, facilitator
):
    ole = Participant.objects.create(course=course, display_name="Ole", zone="negative")
    for text, zone in (("Koden udløber", "negative"), ("Svært at finde", "negative"), ("Hurtigt", "positive")):
        svc.card_post(course=course, by=facilitator, text=text, zone=zone, client_key=uuid.uuid4())
    meeting_at(course, facilitator, "read_negative")
    dash = browser.new_context(viewport=LAPTOP).new_page()
    login(dash, facilitator.username)
    visit(dash, f"{live_server.url}/forloeb/{course.pk}/moede/")
    presenter = dash.context.new_page()
    presenter.goto(f"{live_server.url}/forloeb/{course.pk}/skaerm/moede/")
    phone = phone_page(browser, live_server, ole)
    phone.goto(f"{live_server.url}/deltager/{course.pk}/moede/")
    expect(presenter.locator(".read-card figcaption")).to_contain_text("Negativ virkning · 1 af 3")

    dash.keyboard.press("ArrowRight")
    expect(dash.get_by_text("Læses op (2 af 3)")).to_be_visible()
    dash.keyboard.press("ArrowRight")  # past the last negative card
    expect(presenter.locator(".read-card figcaption")).to_contain_text("Positiv virkning", timeout=5_000)
    expect(presenter.get_by_role("heading", name="Gennemgå de positive virkninger")).to_be_visible()
    expect(dash.get_by_role("heading", name="Gennemgå de positive virkninger")).to_be_visible()
    expect(phone.get_by_text("Lyt med, mens de positive kort læses op.")).to_be_visible(timeout=5_000)

    dash.keyboard.press("ArrowLeft")  # and back again
    expect(presenter.locator(".read-card figcaption")).to_contain_text("Negativ virkning · 2 af 3", timeout=5_000)
    expect(presenter.get_by_role("heading", name="Gennemgå de negative virkninger")).to_be_visible()
    expect(dash.get_by_role("heading", name="Gennemgå de negative virkninger")).to_be_visible()
    expect(phone.get_by_text("Lyt med, mens de negative kort læses op.")).to_be_visible(timeout=5_000)
