"""The layout check that `visit()` runs on every screen, and the screens a room reads."""

import pytest

from sessions.models import Participant, Proposal, Vote

from .layout import LAPTOP, PHONE_SMALL, PROJECTOR, layout_findings, layout_sizes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAULTY = """<!DOCTYPE html><html lang="da"><head><title>t</title><style>
  body { margin: 0; font: 16px sans-serif; overflow-wrap: anywhere; }
  .squeezed { width: 0; }
  .wide { width: 2400px; }
  .short { height: 1rem; }
</style></head><body><main>
  <section class="panel"><div class="squeezed">Online tidsbestilling</div></section>
  <section class="panel short"><p>Første linje</p><p>Anden linje</p><p>Tredje linje</p></section>
  <section class="panel"><h2>Forslag fra salen</h2></section>
  <div class="wide">Bred</div>
</main></body></html>"""

CLEAN = """<!DOCTYPE html><html lang="da"><head><title>t</title><style>
  body { margin: 0; font: 16px sans-serif; }
  .scroll { overflow-x: auto; } .scroll table { width: 2400px; }
  .gone { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
</style></head><body><main>
  <section><h2>Afstemning</h2><p>Online tidsbestilling · 3 stemmer</p></section>
  <section><h2>Forslag fra salen</h2><p class="gone">Kun for skærmlæsere</p></section>
  <div class="scroll"><table><tr><td>En meget bred tabel i sin egen rulleboks</td></tr></table></div>
</main></body></html>"""


def test_the_check_names_squeezed_text_overflow_and_overlap(page):
    page.set_viewport_size(LAPTOP)
    page.set_content(FAULTY)
    kinds = {(f["kind"], f["text"]) for f in layout_findings(page)}
    assert ("sliver", "Online tidsbestilling") in kinds
    assert ("overflow", "") in kinds
    assert ("overlap", "Anden linje") in kinds or ("overlap", "Tredje linje") in kinds


def test_the_check_passes_a_page_laid_out_well(page):
    page.set_viewport_size(PHONE_SMALL)
    page.set_content(CLEAN)
    assert layout_findings(page) == []


def test_projector_screens_are_also_checked_at_1920():
    assert layout_sizes("http://x/forloeb/3/skaerm/moede/") == [PHONE_SMALL, LAPTOP, PROJECTOR]
    assert layout_sizes("http://x/forloeb/3/moede/") == [PHONE_SMALL, LAPTOP]


@pytest.fixture
def votes(course, touchpoints):
    for i, touchpoint in enumerate([0, 0, 1, 2, 2, 2, 1]):
        participant = Participant.objects.create(course=course, display_name=f"Deltager {i}")
        Vote.objects.create(course=course, participant=participant, touchpoint=touchpoints[touchpoint])
    Proposal.objects.create(course=course, name="Chatbot på hjemmesiden")
    return course


def test_the_kickoff_presenter_with_votes_is_laid_out(page, live_server, login, visit, votes):
    login(page, "frida")
    visit(page, f"{live_server.url}/forloeb/{votes.pk}/skaerm/opstart/")


def test_the_kickoff_page_with_votes_is_laid_out(page, live_server, login, visit, votes):
    login(page, "frida")
    visit(page, f"{live_server.url}/forloeb/{votes.pk}/opstart/")
