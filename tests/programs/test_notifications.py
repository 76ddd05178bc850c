from collections import Counter

import pytest
from django.utils import translation

from cadres.models import CadreProfile
from forkom.accounts.models import Position, Role
from programs import services
from programs.models import Proposal
from tests.conftest import make_persona
from tests.programs.factories import bring_to, make_proposal

State = Proposal.State


@pytest.fixture
def people(proposer, teammate, kecamatan_officer, kelurahan_officer, coordinator, staff):
    """The proposer, the team, and every reviewer, plus some who must never be told."""
    make_persona(
        Role.FORUM_OFFICER, "64.74.03", Position.KETUA, email="ketua.barat@test.forkom.id"
    )
    make_persona(
        Role.FORUM_OFFICER, "64.74.01", Position.KETUA, email="ketua.utara@test.forkom.id"
    )
    make_persona(Role.DINAS_STAFF, "64.74", email="dinsos.bontang@test.forkom.id")
    return {
        "proposer": proposer,
        "officer": kecamatan_officer,
        "coordinator": coordinator,
        "staff": staff,
    }


@pytest.fixture
def proposal(people, teammate):
    return make_proposal(people["proposer"], team=[CadreProfile.objects.get(user=teammate)])


def move_and_collect(mailoutbox, capture, move, **arguments):
    del mailoutbox[:]
    with capture(execute=True):
        move(**arguments)
    recipients = Counter(address for message in mailoutbox for address in message.to)
    assert all(len(message.to) == 1 for message in mailoutbox), "one message per person"
    # No gap of empty lines where a line is left out ("menunggu keputusan Anda" for those
    # who do not decide, found by a walk through the demo site).
    assert not [message.body for message in mailoutbox if "\n\n\n" in message.body]
    return recipients


def emails(*users):
    return Counter({user.email: 1 for user in users})


def test_each_move_tells_the_right_people_once(
    people, proposal, teammate, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    proposer, officer = people["proposer"], people["officer"]
    coordinator, staff = people["coordinator"], people["staff"]

    sent = move_and_collect(
        mailoutbox, capture, services.submit_proposal, actor=proposer, proposal=proposal
    )
    assert sent == emails(officer, teammate) + Counter({"ketua.barat@test.forkom.id": 1})

    sent = move_and_collect(
        mailoutbox, capture, services.recommend_proposal, actor=officer, proposal=proposal
    )
    assert sent == emails(proposer, teammate, coordinator)
    # Each says the step, in Indonesian by default: from where to where.
    with translation.override("id"):
        step = f"{State.SUBMITTED.label} → {State.RECOMMENDED.label}"
    assert all(f"\n\n{step}\n" in message.body for message in mailoutbox), mailoutbox[0].body

    sent = move_and_collect(
        mailoutbox, capture, services.escalate_proposal, actor=coordinator, proposal=proposal
    )
    assert sent == emails(proposer, teammate, staff)  # not the kota's Dinsos-PM staff

    sent = move_and_collect(
        mailoutbox, capture, services.accept_proposal, actor=staff, proposal=proposal
    )
    assert sent == emails(proposer, teammate)


@pytest.mark.parametrize(
    ("state", "reviewer"),
    [(State.SUBMITTED, "officer"), (State.RECOMMENDED, "coordinator"), (State.ESCALATED, "staff")],
)
def test_a_return_tells_the_proposer_the_team_and_the_earlier_reviewers(
    people, proposal, teammate, mailoutbox, django_capture_on_commit_callbacks, state, reviewer
):
    proposal = bring_to(
        proposal,
        state,
        officer=people["officer"],
        coordinator=people["coordinator"],
        staff=people["staff"],
    )
    sent = move_and_collect(
        mailoutbox,
        django_capture_on_commit_callbacks,
        services.return_proposal,
        actor=people[reviewer],
        proposal=proposal,
        note="Perbaiki anggaran.",
    )
    # The kecamatan forum that recommended it (both its officers) and the coordinator who
    # escalated it learn that it came back; only the proposer and the team are asked to revise.
    kecamatan = emails(people["officer"]) + Counter({"ketua.barat@test.forkom.id": 1})
    earlier = {
        State.SUBMITTED: Counter(),
        State.RECOMMENDED: kecamatan,
        State.ESCALATED: kecamatan + emails(people["coordinator"]),
    }[state]
    assert sent == emails(people["proposer"], teammate) + earlier
    assert all("Perbaiki anggaran." in message.body for message in mailoutbox)
    with translation.override("id"):  # emails are written in the default language
        revise = translation.gettext("Revise the proposal and submit it again.")
    for message in mailoutbox:
        authors = {people["proposer"].email, teammate.email}
        assert (revise in message.body) == (message.to[0] in authors), message.to


def test_a_withdrawal_under_review_tells_the_reviewers_who_held_it(
    people, proposal, teammate, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = bring_to(
        proposal,
        State.RECOMMENDED,
        officer=people["officer"],
        coordinator=people["coordinator"],
        staff=people["staff"],
    )
    sent = move_and_collect(
        mailoutbox,
        django_capture_on_commit_callbacks,
        services.withdraw_proposal,
        actor=people["proposer"],
        proposal=proposal,
        reason="Sudah didanai desa.",
    )
    assert sent == emails(teammate, people["coordinator"])


def test_a_draft_and_its_discarding_tell_nobody_but_the_team(
    people, proposal, teammate, mailoutbox, django_capture_on_commit_callbacks
):
    assert mailoutbox == []
    sent = move_and_collect(
        mailoutbox,
        django_capture_on_commit_callbacks,
        services.discard_draft,
        actor=people["proposer"],
        proposal=proposal,
    )
    assert sent == emails(teammate)
    assert "Pelatihan pengolahan rumput laut" in mailoutbox[0].subject
    assert teammate.notifications.get().url == "/usulan/"


def test_nothing_is_sent_when_the_move_is_rolled_back(
    people, proposal, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.submit_proposal(actor=people["proposer"], proposal=proposal)
    assert len(callbacks) == 1
    assert mailoutbox == []  # emails go out only after the commit


def test_the_email_names_the_proposal_and_links_to_it(
    people, proposal, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.FORKOM_SITE_URL = "https://forkom.example.id"
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_proposal(actor=people["proposer"], proposal=proposal)
    message = next(m for m in mailoutbox if m.to == [people["officer"].email])
    assert message.subject.startswith("[Forkom KPM] ")
    assert proposal.title in message.subject
    assert f"https://forkom.example.id/usulan/{proposal.public_id}/" in message.body
    assert "Siti Rahmawati" in message.body
