"""Two reviewers acting on one proposal at the same moment, on PostgreSQL's row locks.

The test holds the proposal's row lock itself, lets two reviewers' requests queue behind
it, then lets go: the first through wins, the second finds the proposal moved on.
"""

import os
import threading
import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.utils import translation

from forkom.accounts.models import Position, Role
from forkom.errors import DomainError
from programs import services
from programs.models import Attachment, Proposal, ProposalEvent
from tests.conftest import make_persona, make_user
from tests.programs.factories import make_proposal, make_verified_profile, proposal_details

State = Proposal.State
WAIT_SECONDS = 10


@pytest.fixture(autouse=True)
def _postgresql_only(db):
    if connection.vendor != "postgresql":
        reason = (
            "Needs PostgreSQL: SQLite has no row locks (select_for_update), it serialises "
            "whole transactions. Run with DATABASE_URL=postgres://..."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def _waiting_for_locks():
    with connection.cursor() as cursor:
        # Statistics are a snapshot per transaction unless cleared: this runs inside one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def race(proposal, attempts):
    """Run `attempts` (callables) in threads while this thread holds the proposal's lock."""
    results = [None] * len(attempts)

    def run(index, attempt):
        try:
            with translation.override("en"):  # the active language is per thread
                results[index] = attempt()
        except DomainError as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, attempt))
        for index, attempt in enumerate(attempts)
    ]
    with transaction.atomic():
        Proposal.objects.select_for_update().get(pk=proposal.pk)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + WAIT_SECONDS
        while _waiting_for_locks() < len(attempts):
            assert time.monotonic() < deadline, "the attempts never queued behind the lock"
            time.sleep(0.02)
    for thread in threads:
        thread.join(WAIT_SECONDS)
        assert not thread.is_alive()
    return results


@pytest.mark.django_db(transaction=True)
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


@pytest.mark.django_db(transaction=True)
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


@pytest.mark.django_db(transaction=True)
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


@pytest.mark.django_db(transaction=True)
def test_the_same_new_proposal_posted_twice_at_once_makes_one_draft(bontang):
    """The second insert waits on the first's unique token, then finds its draft."""
    proposer = make_user()
    make_verified_profile(proposer)
    token = uuid.uuid4()
    result = []

    def again():
        try:
            with translation.override("en"):
                result.append(
                    services.create_draft(actor=proposer, token=token, **proposal_details())
                )
        finally:
            connections.close_all()

    thread = threading.Thread(target=again)
    with transaction.atomic():
        first = services.create_draft(actor=proposer, token=token, **proposal_details())
        thread.start()
        deadline = time.monotonic() + WAIT_SECONDS
        while _waiting_for_locks() < 1:
            assert time.monotonic() < deadline, "the second post never waited for the first"
            time.sleep(0.02)
    thread.join(WAIT_SECONDS)
    assert not thread.is_alive()
    assert [proposal.pk for proposal in result] == [first.pk]
    assert Proposal.objects.filter(token=token).count() == 1
