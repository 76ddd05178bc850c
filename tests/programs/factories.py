"""Proposals for tests, made and moved through the services as users would."""

from datetime import date

from cadres import services as cadre_services
from forkom.territory.models import Region
from programs import services
from programs.models import AidKind, Proposal
from tests.cadres.factories import make_profile
from tests.conftest import make_user

State = Proposal.State


def make_verified_profile(user=None, kelurahan="64.74.03.1001", **overrides):
    """A cadre profile, verified by a superuser who holds no role (and so is told nothing)."""
    profile = make_profile(user, kelurahan, **overrides)
    verifier = make_user(is_superuser=True)
    return cadre_services.verify_cadre(actor=verifier, profile=profile)


def proposal_details(kelurahan="64.74.03.1002", **overrides):
    details = {
        "title": "Pelatihan pengolahan rumput laut",
        "summary": "Ibu-ibu nelayan mengolah rumput laut menjadi dodol dan keripik.",
        "problem": "Harga rumput laut basah rendah.",
        "needs": "Pelatihan, alat pengering, kemasan.",
        "resources": "Balai pertemuan RT 05, kelompok 20 orang.",
        "goals": "Pendapatan keluarga naik.",
        "activities": "Pelatihan 3 hari, pendampingan 3 bulan.",
        "target_group": "Ibu-ibu nelayan",
        "beneficiaries": 20,
        "location": Region.objects.get(code=kelurahan),
        "field": None,
        "starts_on": date(2027, 2, 1),
        "ends_on": date(2027, 5, 31),
        "budget": 12_500_000,
        "aids": [
            (AidKind.TRAINING, 5_000_000, "Pelatih dari dinas"),
            (AidKind.MENTORING, None, ""),
        ],
    }
    details.update(overrides)
    return details


def make_proposal(proposer, **overrides):
    """A draft by `proposer` (a user with a verified cadre profile)."""
    return services.create_draft(actor=proposer, **proposal_details(**overrides))


def bring_to(proposal, state, *, officer, coordinator, staff):
    """Move a draft along the chain through the services until it is in `state`."""
    proposer = proposal.proposer.user
    steps = {
        State.DRAFT: [],
        State.SUBMITTED: [(services.submit_proposal, proposer, {})],
        State.RECOMMENDED: [(services.recommend_proposal, officer, {})],
        State.ESCALATED: [(services.escalate_proposal, coordinator, {})],
        State.ACCEPTED: [(services.accept_proposal, staff, {})],
    }
    path = {
        State.DRAFT: [State.DRAFT],
        State.SUBMITTED: [State.SUBMITTED],
        State.RECOMMENDED: [State.SUBMITTED, State.RECOMMENDED],
        State.ESCALATED: [State.SUBMITTED, State.RECOMMENDED, State.ESCALATED],
        State.ACCEPTED: [State.SUBMITTED, State.RECOMMENDED, State.ESCALATED, State.ACCEPTED],
        State.RETURNED: [State.SUBMITTED],
        State.DECLINED: [State.SUBMITTED],
        State.WITHDRAWN: [State.SUBMITTED],  # a draft is discarded, not withdrawn
    }[state]
    for step in path:
        for move, actor, arguments in steps[step]:
            proposal = move(actor=actor, proposal=proposal, **arguments)
    if state == State.RETURNED:
        proposal = services.return_proposal(actor=officer, proposal=proposal, note="Lengkapi RAB.")
    elif state == State.DECLINED:
        proposal = services.decline_proposal(
            actor=officer, proposal=proposal, note="Bukan prioritas."
        )
    elif state == State.WITHDRAWN:
        proposal = services.withdraw_proposal(actor=proposer, proposal=proposal, reason="Batal.")
    assert proposal.state == state
    return proposal
