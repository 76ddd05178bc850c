import uuid

import pytest

from cadres.models import CadreProfile
from forkom.accounts.models import Position, Role
from forkom.errors import DomainError
from forkom.territory.models import Region
from programs import services
from programs.models import Proposal, ProposalEvent
from tests.cadres.factories import make_profile
from tests.conftest import make_persona, make_user
from tests.programs.factories import (
    bring_to,
    make_proposal,
    make_verified_profile,
    proposal_details,
)

State = Proposal.State


def states(proposal):
    return list(proposal.events.values_list("before", "after"))


def test_a_proposal_travels_from_draft_to_acceptance_with_one_event_per_move(
    proposer, kecamatan_officer, coordinator, staff
):
    proposal = make_proposal(proposer)
    assert proposal.state == State.DRAFT
    proposal = services.submit_proposal(actor=proposer, proposal=proposal)
    proposal = services.recommend_proposal(
        actor=kecamatan_officer, proposal=proposal, note="Sesuai prioritas kecamatan."
    )
    proposal = services.escalate_proposal(actor=coordinator, proposal=proposal)
    proposal = services.accept_proposal(actor=staff, proposal=proposal, note="Masuk APBD 2027.")
    proposal.refresh_from_db()
    assert proposal.state == State.ACCEPTED
    assert states(proposal) == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "recommended"),
        ("recommended", "escalated"),
        ("escalated", "accepted"),
    ]
    events = list(proposal.events.all())
    assert [event.actor for event in events] == [
        proposer,
        proposer,
        kecamatan_officer,
        coordinator,
        staff,
    ]
    assert [event.actor_role for event in events] == [
        Role.CADRE,
        Role.CADRE,
        Role.FORUM_OFFICER,
        Role.CITY_COORDINATOR,
        Role.DINAS_STAFF,
    ]
    assert events[2].note == "Sesuai prioritas kecamatan."
    assert events[0].actor_name == "Siti Rahmawati"


def test_a_returned_proposal_keeps_who_returned_it_and_goes_back_to_the_kecamatan(
    proposer, kecamatan_officer, coordinator, staff
):
    proposal = bring_to(
        make_proposal(proposer),
        State.RECOMMENDED,
        officer=kecamatan_officer,
        coordinator=coordinator,
        staff=staff,
    )
    proposal = services.return_proposal(
        actor=coordinator, proposal=proposal, note="Rincikan anggaran per kegiatan."
    )
    assert (proposal.state, proposal.returned_from) == (State.RETURNED, State.RECOMMENDED)
    proposal = services.update_draft(
        actor=proposer, proposal=proposal, **proposal_details(budget=9_000_000)
    )
    proposal = services.submit_proposal(actor=proposer, proposal=proposal, note="Sudah dirinci.")
    proposal.refresh_from_db()
    assert (proposal.state, proposal.returned_from, proposal.budget) == (
        State.SUBMITTED,
        "",
        9_000_000,
    )
    assert states(proposal)[-2:] == [("recommended", "returned"), ("returned", "submitted")]


def test_a_cadre_waiting_for_verification_may_not_propose(bontang):
    user = make_user()
    make_profile(user)
    with pytest.raises(services.MayNot):
        services.create_draft(actor=user, **proposal_details())
    assert not Proposal.objects.exists()


def test_a_user_without_a_cadre_profile_may_not_propose(cadre):
    with pytest.raises(services.MayNot):
        services.create_draft(actor=cadre, **proposal_details())


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kelurahan": "64.74.01.1001"}, "Choose a kelurahan of your own kecamatan."),
        ({"budget": -1}, "The budget is a whole number of Rupiah, zero or more."),
        (
            {"aids": [("training", 1, ""), ("training", 2, "")]},
            "Each kind of help is asked for once.",
        ),
        ({"aids": [("lottery", 1, "")]}, "Each kind of help is asked for once."),
        ({"title": "  "}, "Give the proposal a title."),
    ],
)
def test_a_draft_with_a_wrong_detail_is_refused_with_the_reason(proposer, overrides, message):
    with pytest.raises(DomainError, match=message):
        make_proposal(proposer, **overrides)
    assert not Proposal.objects.exists()


def test_a_draft_needs_only_a_title_and_cannot_be_submitted_until_complete(proposer):
    """The form promises a draft: it is saved with only its title; submitting it names what
    is still missing, and the database refuses an incomplete proposal outside a draft."""
    from django.db import IntegrityError, transaction

    draft = services.create_draft(actor=proposer, title="Bank sampah", aids=[])
    assert draft.location is None
    assert draft.budget is None
    with pytest.raises(DomainError, match=r"still needs: Summary.*at least one kind of help"):
        services.submit_proposal(actor=proposer, proposal=draft)
    draft.refresh_from_db()
    assert draft.state == Proposal.State.DRAFT
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=draft.pk).update(state=Proposal.State.SUBMITTED)
    details = proposal_details()
    services.update_draft(actor=proposer, proposal=draft, **details)
    assert services.submit_proposal(actor=proposer, proposal=draft).state == "submitted"


def test_a_returned_proposal_stays_complete_while_revised(proposer, kecamatan_officer):
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    proposal = services.return_proposal(actor=kecamatan_officer, proposal=proposal, note="RAB?")
    details = {**proposal_details(), "budget": None}
    with pytest.raises(DomainError, match="still needs: Budget"):
        services.update_draft(actor=proposer, proposal=proposal, **details)


def test_a_programme_cannot_end_before_it_starts(proposer):
    from datetime import date

    with pytest.raises(DomainError, match="cannot end before it starts"):
        make_proposal(proposer, ends_on=date(2027, 1, 1))


def test_team_members_are_verified_cadres_of_the_same_kecamatan(proposer, teammate):
    mate = CadreProfile.objects.get(user=teammate)
    proposal = make_proposal(proposer, team=[mate])
    assert list(proposal.team.all()) == [mate]
    stranger = make_verified_profile(kelurahan="64.74.01.1001")
    with pytest.raises(DomainError, match="Team members"):
        make_proposal(proposer, team=[stranger])
    waiting = make_profile(kelurahan="64.74.03.1002")
    with pytest.raises(DomainError, match="Team members"):
        make_proposal(proposer, team=[waiting])


def test_returning_or_declining_needs_a_note_for_the_proposer(proposer, kecamatan_officer):
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    with pytest.raises(services.BadInput, match="what should be revised"):
        services.return_proposal(actor=kecamatan_officer, proposal=proposal, note=" ")
    with pytest.raises(services.BadInput, match="reason for declining"):
        services.decline_proposal(actor=kecamatan_officer, proposal=proposal, note="")
    with pytest.raises(services.BadInput, match="Say why you withdraw"):
        services.withdraw_proposal(actor=proposer, proposal=proposal, reason="")
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED
    assert proposal.events.count() == 2


def test_a_second_reviewer_is_told_the_proposal_has_moved_on(proposer, kecamatan_officer):
    colleague = make_persona(Role.FORUM_OFFICER, "64.74.03", Position.KETUA)
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    stale = Proposal.objects.get(pk=proposal.pk)
    services.recommend_proposal(actor=kecamatan_officer, proposal=proposal)
    with pytest.raises(DomainError, match="The proposal has moved on"):
        services.return_proposal(actor=colleague, proposal=stale, note="Kurang lengkap.")
    with pytest.raises(DomainError, match="The proposal has moved on"):
        services.recommend_proposal(actor=colleague, proposal=stale)
    assert Proposal.objects.get(pk=proposal.pk).state == State.RECOMMENDED
    assert proposal.events.count() == 3


def test_the_same_form_posted_twice_records_one_event(proposer, kecamatan_officer):
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    token = uuid.uuid4()
    services.recommend_proposal(actor=kecamatan_officer, proposal=proposal, token=token)
    again = services.recommend_proposal(actor=kecamatan_officer, proposal=proposal, token=token)
    assert again.state == State.RECOMMENDED
    assert ProposalEvent.objects.filter(token=token).count() == 1
    assert proposal.events.count() == 3


def test_a_token_used_by_someone_else_is_refused(proposer, kecamatan_officer, coordinator):
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    token = uuid.uuid4()
    services.recommend_proposal(actor=kecamatan_officer, proposal=proposal, token=token)
    with pytest.raises(DomainError, match="already sent"):
        services.escalate_proposal(actor=coordinator, proposal=proposal, token=token)
    assert Proposal.objects.get(pk=proposal.pk).state == State.RECOMMENDED


def test_an_officer_may_not_decide_on_a_proposal_they_are_part_of(bontang, kecamatan_officer):
    make_verified_profile(kecamatan_officer, kelurahan="64.74.03.1002")
    proposal = services.submit_proposal(
        actor=kecamatan_officer, proposal=make_proposal(kecamatan_officer)
    )
    with pytest.raises(services.MayNot, match="part of"):
        services.recommend_proposal(actor=kecamatan_officer, proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED


def test_staff_of_the_province_cannot_jump_ahead_of_the_kecamatan(proposer, staff):
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    with pytest.raises(DomainError, match="not reached your step"):
        services.return_proposal(actor=staff, proposal=proposal, note="Terlalu mahal.")
    with pytest.raises(DomainError, match="not reached your step"):
        services.accept_proposal(actor=staff, proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED


def test_a_decided_proposal_can_no_longer_be_withdrawn(
    proposer, kecamatan_officer, coordinator, staff
):
    proposal = bring_to(
        make_proposal(proposer),
        State.ACCEPTED,
        officer=kecamatan_officer,
        coordinator=coordinator,
        staff=staff,
    )
    with pytest.raises(DomainError, match="moved on"):
        services.withdraw_proposal(actor=proposer, proposal=proposal, reason="Berubah pikiran.")


def test_only_a_draft_or_returned_proposal_can_be_changed(proposer):
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    with pytest.raises(DomainError, match="Only a draft or a returned proposal"):
        services.update_draft(actor=proposer, proposal=proposal, **proposal_details(budget=1))
    assert Proposal.objects.get(pk=proposal.pk).budget == 12_500_000


def test_the_location_may_be_any_kelurahan_of_the_kecamatan(proposer):
    proposal = make_proposal(proposer, kelurahan="64.74.03.1003")
    assert proposal.location == Region.objects.get(code="64.74.03.1003")
    assert (proposal.kecamatan_code, proposal.kota_code, proposal.provinsi_code) == (
        "64.74.03",
        "64.74",
        "64",
    )
