"""A person's comment or meeting answer racing the deletion of their data (PostgreSQL).

The deletion locks the profile, then the account, then anonymises app by app. A service
writing on the person's behalf takes the same locks in the same order before it writes
(lock_acting_cadre, lock_open_account): arriving while the deletion runs, it waits, then
finds the account closed and writes nothing; arriving first, it makes the deletion wait,
which then finds what it wrote and forgets it too. Either way nothing of hers remains.
"""

import threading
import uuid

import pytest
from django.db import connection, transaction
from django.utils import timezone, translation

from cadres import services as cadre_services
from cadres.forums import services as forum_services
from cadres.meetings import services as meeting_services
from cadres.models import CadreProfile, ConsentRecord, MeetingEvent, MeetingInvitation
from forkom import deletion_log, personal_data
from forkom.errors import DomainError, MayNot
from forkom.territory.models import Region
from programs import services as programs
from programs.models import Comment, Proposal
from tests.concurrency import (
    require_postgresql,
    start_at_once,
    wait_until_blocked,
    wait_until_blocked_or_done,
)
from tests.conftest import make_user
from tests.programs.factories import make_proposal, make_verified_profile, proposal_details
from tests.site.test_closed_accounts import meeting_inviting

WORDS = "Nomor saya 0812-1111-2222, rumah saya di Jl. Kenanga 7."


@pytest.fixture
def siti(transactional_db, bontang, kecamatan_officer):
    """A verified cadre of Belimbing, member of the Bontang Barat forum."""
    user = make_user("siti@test.forkom.id", first_name="Siti")
    profile = make_verified_profile(user, full_name="Siti Rahmawati")
    forum = forum_services.get_or_create_forum(region=Region.objects.get(code="64.74.03"))
    forum_services.add_member(actor=kecamatan_officer, forum=forum, profile=profile)
    return user


def _held(rows):
    """A transaction of its own holding the row locks of `rows` until `release()`: whoever
    needs them waits meanwhile."""
    locked, released = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            assert list(rows.select_for_update()), "nothing to hold"
            locked.set()
            assert released.wait(15), "the lock was never released"

    holder = start_at_once(hold, timeout=30)
    assert locked.wait(10), "the lock was never taken"
    return holder, released.set


def _deletion_waiting_after_her_account(siti, staff):
    """Her deletion under way: it holds her profile and account and waits, in the middle of
    forgetting her (cadres' part, after programs' has blanked her comments), for her consent
    record, which another transaction holds."""
    request = cadre_services.request_deletion(actor=siti)
    holder, release = _held(ConsentRecord.objects.filter(user=siti, withdrawn_at=None))
    deleting = start_at_once(
        lambda: cadre_services.carry_out_deletion(actor=staff, request=request)
    )
    wait_until_blocked(1)
    return holder, release, deleting


def _nothing_was_cancelled_for_a_deadlock(caplog):
    assert not [record.getMessage() for record in caplog.records if "cancelled" in record.msg]


def _written_while_her_data_is_deleted(siti, staff, write):
    """`write` on her behalf, started while her deletion holds her account (and waits for a
    lock another transaction holds); its outcome once all three are done."""
    holder, release, deleting = _deletion_waiting_after_her_account(siti, staff)
    writing = start_at_once(write, expected=DomainError)
    wait_until_blocked_or_done(2, writing)  # the write waits for the deletion's locks
    release()
    holder.results()
    deleting.results()
    [outcome] = writing.results()
    return outcome


def _refused_as_closed(outcome):
    assert isinstance(outcome, MayNot), outcome
    with translation.override("id"):  # the language the service's thread answered in
        assert str(outcome) == translation.gettext("This account is closed.")


@require_postgresql
def test_a_comment_arriving_while_her_data_is_deleted_is_refused(siti, staff, caplog):
    proposal = make_proposal(siti)

    outcome = _written_while_her_data_is_deleted(
        siti, staff, lambda: programs.add_comment(actor=siti, proposal=proposal, body=WORDS)
    )

    _refused_as_closed(outcome)
    assert not Comment.objects.exists()
    _nothing_was_cancelled_for_a_deadlock(caplog)


@require_postgresql
def test_a_meeting_answer_arriving_while_her_data_is_deleted_is_refused(
    siti, staff, kecamatan_officer, caplog
):
    meeting = meeting_inviting(siti, kecamatan_officer)

    outcome = _written_while_her_data_is_deleted(
        siti,
        staff,
        lambda: meeting_services.answer_invitation(actor=siti, meeting=meeting, answer="hadir"),
    )

    _refused_as_closed(outcome)
    invitation = MeetingInvitation.objects.get(meeting=meeting, user=siti)
    assert (invitation.name, invitation.answer, invitation.answered_at) == (
        personal_data.ANONYMISED_NAME,
        "",
        None,
    )
    assert not MeetingEvent.objects.filter(actor=siti).exists()
    _nothing_was_cancelled_for_a_deadlock(caplog)


@require_postgresql
def test_a_comment_written_before_the_deletion_takes_her_account_is_forgotten_with_her(
    siti, staff, caplog
):
    """The other order: her comment holds her account and waits (for the proposal's row,
    which another transaction holds) when her deletion starts; the deletion waits for her
    comment, then blanks it with the rest (on a submitted proposal: a draft goes whole)."""
    proposal = programs.submit_proposal(actor=siti, proposal=make_proposal(siti))
    request = cadre_services.request_deletion(actor=siti)
    holder, release = _held(Proposal.objects.filter(pk=proposal.pk))
    commenting = start_at_once(
        lambda: programs.add_comment(actor=siti, proposal=proposal, body=WORDS, token=uuid.uuid4())
    )
    wait_until_blocked(1)  # the comment waits for the proposal's row
    deleting = start_at_once(
        lambda: cadre_services.carry_out_deletion(actor=staff, request=request)
    )
    wait_until_blocked(2)  # the deletion waits for her comment's lock of her account
    release()
    holder.results()
    commenting.results()
    deleting.results()

    [written] = Comment.objects.all()
    assert (written.author_name, written.body) == (personal_data.ANONYMISED_NAME, "")
    _nothing_was_cancelled_for_a_deadlock(caplog)


@require_postgresql
def test_a_draft_and_her_deletion_queued_behind_an_officer_take_her_locks_in_one_order(
    siti, staff, caplog
):
    """An officer's decision holds her profile; her deletion waits for it, then her new
    draft arrives. The draft, which points at her profile, queues for the profile behind the
    deletion rather than taking her account first (the deletion would then wait for the
    account while the draft waits for the profile: a deadlock), and is refused once the
    deletion is done."""
    request = cadre_services.request_deletion(actor=siti)
    drafts = Proposal.objects.count()
    holder, release = _held(CadreProfile.objects.filter(user=siti))
    deleting = start_at_once(
        lambda: cadre_services.carry_out_deletion(actor=staff, request=request)
    )
    wait_until_blocked(1)  # the deletion waits for her profile
    drafting = start_at_once(
        lambda: programs.create_draft(actor=siti, **proposal_details(problem=WORDS)),
        expected=DomainError,
    )
    wait_until_blocked_or_done(2, drafting)
    release()
    holder.results()
    deleting.results()
    [outcome] = drafting.results()

    _refused_as_closed(outcome)
    assert Proposal.objects.count() == drafts
    assert not Proposal.objects.filter(problem=WORDS).exists()
    _nothing_was_cancelled_for_a_deadlock(caplog)


def _profile_pointed_at(user):
    """A transaction of its own holding her profile FOR KEY SHARE, as one writing a row that
    points at it does, until `release()`: a deletion's FOR UPDATE of the profile waits for
    it; a draft's FOR NO KEY UPDATE does not."""
    locked, released = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM cadres_cadreprofile WHERE user_id = %s FOR KEY SHARE", [user.pk]
            )
            assert cursor.fetchall(), "nothing to hold"
            locked.set()
            assert released.wait(15), "the lock was never released"

    holder = start_at_once(hold, timeout=30)
    assert locked.wait(10), "the lock was never taken"
    return holder, released.set


@require_postgresql
def test_a_draft_made_while_a_restore_forgets_her_again_takes_her_locks_in_the_same_order(
    siti, caplog
):
    """After a restore, forget_again forgets her again while she writes a draft. It waits
    for her profile (another transaction points at it), and her draft takes the profile
    meanwhile. Before, forget_again held her account while it waited: the draft then waited
    for the account, forget_again for the profile the draft held, and PostgreSQL cancelled
    one. Now it takes her profile first, as the deletion and the draft do: the draft is
    written before and goes with her data, as her other drafts, or refused after."""
    entry = deletion_log.Entry(
        user_id=siti.pk,
        public_id=CadreProfile.objects.get(user=siti).public_id,
        at=timezone.now(),
    )
    holder, release = _profile_pointed_at(siti)
    forgetting = start_at_once(lambda: personal_data.forget_again([entry]))
    wait_until_blocked(1)  # forget_again waits for her profile
    drafting = start_at_once(
        lambda: programs.create_draft(actor=siti, **proposal_details(problem=WORDS)),
        expected=DomainError,
    )
    wait_until_blocked_or_done(2, drafting)
    release()
    holder.results()
    forgetting.results()
    [outcome] = drafting.results()

    if not isinstance(outcome, Proposal):
        _refused_as_closed(outcome)
    assert not Proposal.objects.filter(problem=WORDS).exists()
    assert CadreProfile.objects.get(user=siti).full_name == personal_data.ANONYMISED_NAME
    _nothing_was_cancelled_for_a_deadlock(caplog)
