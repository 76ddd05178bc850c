"""Two reviewers acting on one proposal at the same moment, on PostgreSQL's row locks.

The test holds the proposal's row lock itself, lets two reviewers' requests queue behind
it, then lets go: the first through wins, the second finds the proposal moved on.
"""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation

from forkom.accounts.models import Position, Role
from forkom.errors import DomainError
from programs import services
from programs.models import Attachment, Proposal, ProposalEvent
from tests.concurrency import require_postgresql, start_at_once, wait_until_blocked
from tests.conftest import make_persona, make_user
from tests.programs.factories import make_proposal, make_verified_profile, proposal_details

State = Proposal.State
WAIT_SECONDS = 10


pytestmark = [require_postgresql, pytest.mark.django_db(transaction=True)]


def in_english(attempt):
    """The attempt, in English: the active language is per thread."""

    def attempt_in_english():
        with translation.override("en"):
            return attempt()

    return attempt_in_english


def race(proposal, attempts):
    """Run `attempts` (callables) in threads while this thread holds the proposal's lock;
    what each returned or the DomainError it raised."""
    with transaction.atomic():
        Proposal.objects.select_for_update().get(pk=proposal.pk)
        started = start_at_once(
            *map(in_english, attempts), expected=DomainError, timeout=WAIT_SECONDS
        )
        wait_until_blocked(len(attempts), timeout=WAIT_SECONDS)
    return started.results()


def test_two_reviewers_at_once_one_wins_and_the_other_is_told_it_moved_on(bontang):
    proposer = make_user()
    make_verified_profile(proposer)
    secretary = make_persona(Role.FORUM_OFFICER, "64.74.03", Position.SEKRETARIS)
    chair = make_persona(Role.FORUM_OFFICER, "64.74.03", Position.KETUA)
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))

    results = race(
        proposal,
        [
            lambda: services.recommend_proposal(actor=secretary, proposal=proposal),
            lambda: services.decline_proposal(actor=chair, proposal=proposal, note="Tidak."),
        ],
    )

    winners = [result for result in results if isinstance(result, Proposal)]
    losers = [result for result in results if isinstance(result, DomainError)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert "The proposal has moved on" in losers[0].message
    proposal.refresh_from_db()
    assert proposal.state == winners[0].state
    assert proposal.state in (State.RECOMMENDED, State.DECLINED)
    assert list(proposal.events.values_list("after", flat=True)) == [
        State.DRAFT,
        State.SUBMITTED,
        proposal.state,
    ]


def test_the_same_form_posted_twice_at_once_records_one_event(bontang):
    proposer = make_user()
    make_verified_profile(proposer)
    officer = make_persona(Role.FORUM_OFFICER, "64.74.03", Position.SEKRETARIS)
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    token = uuid.uuid4()

    results = race(
        proposal,
        [
            lambda: services.recommend_proposal(actor=officer, proposal=proposal, token=token),
            lambda: services.recommend_proposal(actor=officer, proposal=proposal, token=token),
        ],
    )

    assert all(isinstance(result, Proposal) for result in results), results
    assert ProposalEvent.objects.filter(token=token).count() == 1
    assert Proposal.objects.get(pk=proposal.pk).state == State.RECOMMENDED


def test_the_same_file_posted_twice_at_once_is_attached_once(bontang):
    proposer = make_user()
    make_verified_profile(proposer)
    proposal = make_proposal(proposer)
    token = uuid.uuid4()

    def attach():
        upload = SimpleUploadedFile("rab.pdf", b"%PDF-1.4\n%%EOF\n")
        return services.attach_file(actor=proposer, proposal=proposal, upload=upload, token=token)

    results = race(proposal, [attach, attach])

    assert all(isinstance(result, Attachment) for result in results), results
    assert results[0].pk == results[1].pk
    assert Attachment.objects.filter(proposal=proposal).count() == 1


def test_the_same_new_proposal_posted_twice_at_once_makes_one_draft(bontang):
    """The second insert waits on the first's unique token, then finds its draft."""
    proposer = make_user()
    make_verified_profile(proposer)
    token = uuid.uuid4()

    def again():
        return services.create_draft(actor=proposer, token=token, **proposal_details())

    with transaction.atomic():
        first = services.create_draft(actor=proposer, token=token, **proposal_details())
        started = start_at_once(in_english(again), timeout=WAIT_SECONDS)
        wait_until_blocked(1, timeout=WAIT_SECONDS)
    assert [proposal.pk for proposal in started.results()] == [first.pk]
    assert Proposal.objects.filter(token=token).count() == 1
