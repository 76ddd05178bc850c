"""Decisions taken from the queues go through the programs services and come back to the
dashboard; a refused one says why, answers 4xx and changes nothing."""

import uuid

import pytest
from django.urls import reverse

from programs.models import Proposal, ProposalEvent

# Every test here asks for the data set: it is built once for the module (conftest.py).
WORLD_FOR_THE_MODULE = True


State = Proposal.State


def decide(client, user, proposal, action, note="", token=None, next_url="/dasbor/kota/64.74/"):
    client.force_login(user)
    return client.post(
        reverse("dashboard:decide", args=[proposal.public_id]),
        {"action": action, "note": note, "token": token or uuid.uuid4(), "next": next_url},
    )


def city_queue(client, world):
    """Kota Bontang's dashboard as its coordinator, and the titles in its queue."""
    client.force_login(world.coordinator)
    response = client.get(reverse("dashboard:city", args=["64.74"]))
    return response, [proposal.title for proposal, _token in response.context["queue"]]


def test_the_coordinator_escalates_a_proposal_from_the_queue_and_comes_back(client, world):
    proposal = world.proposals["Utara recommended"]
    response = decide(client, world.coordinator, proposal, "escalate", "Layak didanai.")
    assert response.status_code == 302
    assert response["Location"] == "/dasbor/kota/64.74/#queue"
    proposal.refresh_from_db()
    assert proposal.state == State.ESCALATED
    event = proposal.events.last()
    assert (event.actor, event.before, event.after, event.note) == (
        world.coordinator,
        State.RECOMMENDED,
        State.ESCALATED,
        "Layak didanai.",
    )
    page = client.get(response["Location"])
    assert "“Utara recommended” is now “Escalated to the province”." in page.text
    assert "Utara recommended" not in [p.title for p, _t in page.context["queue"]]


@pytest.mark.parametrize(
    ("action", "state"), [("return", State.RETURNED), ("decline", State.DECLINED)]
)
def test_the_coordinator_returns_or_declines_with_a_note(client, world, action, state):
    proposal = world.proposals["Barat recommended"]
    response = decide(client, world.coordinator, proposal, action, "Lengkapi anggaran.")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == state


@pytest.mark.parametrize("action", ["return", "decline"])
def test_returning_or_declining_without_a_note_is_refused_and_changes_nothing(
    client, world, action
):
    proposal = world.proposals["Barat recommended"]
    events = ProposalEvent.objects.count()
    response = decide(client, world.coordinator, proposal, action, "  ")
    assert response.status_code == 400
    assert "Nothing was changed." in response.text
    assert 'href="/dasbor/kota/64.74/"' in response.text
    proposal.refresh_from_db()
    assert proposal.state == State.RECOMMENDED
    assert ProposalEvent.objects.count() == events


def test_the_same_form_sent_twice_moves_the_proposal_once(client, world):
    proposal = world.proposals["Barat recommended"]
    token = uuid.uuid4()
    first = decide(client, world.coordinator, proposal, "escalate", token=token)
    second = decide(client, world.coordinator, proposal, "escalate", token=token)
    assert (first.status_code, second.status_code) == (302, 302)
    assert proposal.events.filter(after=State.ESCALATED).count() == 1


def test_a_kecamatan_officer_may_not_escalate_from_a_posted_form(client, world):
    proposal = world.proposals["Barat recommended"]
    response = decide(client, world.officers["64.74.03"], proposal, "escalate")
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == State.RECOMMENDED


def test_a_coordinator_of_another_kota_does_not_find_the_proposal(client, world):
    proposal = world.proposals["Barat recommended"]
    response = decide(client, world.other_coordinator, proposal, "escalate")
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.state == State.RECOMMENDED


def test_moves_other_than_the_reviewers_are_refused(client, world):
    proposal = world.proposals["Barat recommended"]
    for action in ("submit", "withdraw", "recommend", "fly"):
        response = decide(client, world.coordinator, proposal, action)
        assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.state == State.RECOMMENDED


def test_a_proposal_that_moved_on_is_refused_with_its_state(client, world):
    proposal = world.proposals["Barat escalated"]
    response = decide(client, world.coordinator, proposal, "escalate")
    assert response.status_code == 409
    assert "Escalated to the province" in response.text


def test_dinas_staff_accept_from_the_province_queue_and_come_back_to_it(client, world):
    proposal = world.proposals["Samarinda escalated"]
    response = decide(client, world.staff, proposal, "accept", next_url="/dasbor/provinsi/64/")
    assert response["Location"] == "/dasbor/provinsi/64/#queue"
    proposal.refresh_from_db()
    assert proposal.state == State.ACCEPTED


@pytest.mark.parametrize(
    "next_url", ["https://example.com/dasbor/kota/64.74/", "/usulan/semua/", "//evil.test/", ""]
)
def test_the_way_back_is_always_a_dashboard_of_this_site(client, world, next_url):
    proposal = world.proposals["Barat recommended"]
    response = decide(client, world.coordinator, proposal, "escalate", next_url=next_url)
    assert response["Location"] == "/dasbor/kota/64.74/#queue"


def test_deciding_is_post_only(client, world):
    client.force_login(world.coordinator)
    proposal = world.proposals["Barat recommended"]
    response = client.get(reverse("dashboard:decide", args=[proposal.public_id]))
    assert response.status_code == 405


def test_the_coordinator_does_not_find_their_own_proposal_in_the_queue(client, world):
    from programs import services
    from tests.programs.factories import make_proposal, make_verified_profile

    make_verified_profile(world.coordinator, kelurahan="64.74.03.1001")
    own = make_proposal(world.coordinator, title="Usulan koordinator")
    own = services.submit_proposal(actor=world.coordinator, proposal=own)
    services.recommend_proposal(actor=world.officers["64.74.03"], proposal=own)
    response, titles = city_queue(client, world)
    assert "Usulan koordinator" not in titles
    assert len(titles) == 3
    assert response.context["board"].total.recommended == 4  # still counted


def test_the_coordinator_does_not_find_a_proposal_of_their_team_in_the_queue(client, world):
    from programs import services
    from tests.programs.factories import make_proposal, make_verified_profile

    profile = make_verified_profile(world.coordinator, kelurahan="64.74.03.1002")
    proposer = world.proposals["Barat recommended 2"].proposer.user
    theirs = make_proposal(proposer, title="Usulan tim koordinator", team=[profile])
    theirs = services.submit_proposal(actor=proposer, proposal=theirs)
    services.recommend_proposal(actor=world.officers["64.74.03"], proposal=theirs)
    _response, titles = city_queue(client, world)
    assert "Usulan tim koordinator" not in titles
    assert len(titles) == 3


def test_the_queue_shows_the_longest_waiting_first_and_no_more_than_its_size(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from dashboard.selectors import QUEUE_SIZE
    from tests.programs.factories import make_proposal

    # Copies of a recommended proposal of Bontang, each having waited a day less than the
    # one before; the world's own recommended proposals waited 10 and 3 days.
    template = world.proposals["Barat recommended 2"]
    now = timezone.now()
    for days in range(QUEUE_SIZE + 5):
        copy = make_proposal(template.proposer.user, title=f"Antre {days:02}")
        Proposal.objects.filter(pk=copy.pk).update(
            state=State.RECOMMENDED,
            first_submitted_at=now - timedelta(days=60),
            state_changed_at=now - timedelta(days=40 - days, hours=1),
        )
    response, titles = city_queue(client, world)
    assert titles == [f"Antre {days:02}" for days in range(QUEUE_SIZE)]
    assert "The 25 longest waiting of" in response.text
