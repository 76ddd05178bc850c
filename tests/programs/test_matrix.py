"""Every move by every persona, inside and outside the region; every move from every state.

After each attempt the proposal's state and its number of events are checked: a refused
move changes neither.
"""

import uuid

import pytest
from django.urls import reverse

from cadres.models import CadreProfile
from forkom.accounts.models import Role
from forkom.errors import DomainError
from programs import services
from programs.models import Proposal
from tests.conftest import make_persona
from tests.programs.factories import bring_to, make_proposal, make_verified_profile

State = Proposal.State
MOVES = {
    "submit": (services.submit_proposal, State.SUBMITTED),
    "recommend": (services.recommend_proposal, State.RECOMMENDED),
    "escalate": (services.escalate_proposal, State.ESCALATED),
    "accept": (services.accept_proposal, State.ACCEPTED),
    "return": (services.return_proposal, State.RETURNED),
    "decline": (services.decline_proposal, State.DECLINED),
    "withdraw": (services.withdraw_proposal, State.WITHDRAWN),
}
# (move, from state) → the one persona who may make it.
ALLOWED = {
    ("submit", State.DRAFT): "proposer",
    ("submit", State.RETURNED): "proposer",
    ("recommend", State.SUBMITTED): "kecamatan_officer",
    ("return", State.SUBMITTED): "kecamatan_officer",
    ("decline", State.SUBMITTED): "kecamatan_officer",
    ("escalate", State.RECOMMENDED): "coordinator",
    ("return", State.RECOMMENDED): "coordinator",
    ("decline", State.RECOMMENDED): "coordinator",
    ("accept", State.ESCALATED): "staff",
    ("return", State.ESCALATED): "staff",
    ("decline", State.ESCALATED): "staff",
    ("withdraw", State.SUBMITTED): "proposer",
    ("withdraw", State.RECOMMENDED): "proposer",
    ("withdraw", State.ESCALATED): "proposer",
    ("withdraw", State.RETURNED): "proposer",
}
# Who sees a proposal once it was submitted (the proposer and team see it always).
IN_REGION = {
    "proposer",
    "teammate",
    "kelurahan_officer",  # ketua of Belimbing, the proposal's kelurahan
    "kecamatan_officer",  # Bontang Barat
    "coordinator",  # Kota Bontang
    "kota_staff",  # Dinas staff of Kota Bontang: sees, does not decide for the province
    "staff",  # Dinas staff of Kalimantan Timur
}
OUTSIDE = {
    "other_cadre",  # a verified cadre of the same kelurahan, not on the team
    "other_kecamatan_officer",  # Bontang Utara
    "outsider",  # ketua of Bontang Kuala (Bontang Utara)
    "other_coordinator",  # Kota Samarinda
    "other_province_staff",  # Kalimantan Utara
}
CHAIN = ("proposer", "kecamatan_officer", "coordinator", "staff")


@pytest.fixture
def other_cadre(bontang):
    user = make_persona(Role.CADRE, "64.74.03.1001")
    make_verified_profile(user, full_name="Dewi Lestari")
    return user


@pytest.fixture
def other_coordinator(elsewhere):
    return make_persona(Role.CITY_COORDINATOR, "64.72")


@pytest.fixture
def other_province_staff(elsewhere):
    return make_persona(Role.DINAS_STAFF, "65")


@pytest.fixture
def proposal_in(proposer, teammate, kecamatan_officer, coordinator, staff):
    def make(state):
        draft = make_proposal(
            proposer,
            kelurahan="64.74.03.1001",
            team=[CadreProfile.objects.get(user=teammate)],
        )
        return bring_to(
            draft, state, officer=kecamatan_officer, coordinator=coordinator, staff=staff
        )

    return make


def attempt(client, proposal, move, user):
    client.force_login(user)
    return client.post(
        reverse("programs:transition", args=[proposal.public_id]),
        {"action": move, "note": "Catatan.", "token": str(uuid.uuid4())},
    )


@pytest.mark.parametrize(("move", "from_state"), list(ALLOWED), ids=str)
def test_a_move_is_made_only_by_its_persona_and_hidden_outside_the_region(
    client, request, subtests, proposal_in, move, from_state
):
    proposal = proposal_in(from_state)
    events = proposal.events.count()
    allowed = ALLOWED[(move, from_state)]
    # Everyone else first (each attempt must change nothing), the one who may, last.
    for persona in [*sorted((IN_REGION | OUTSIDE) - {allowed}), allowed]:
        with subtests.test(persona=persona):
            user = request.getfixturevalue(persona)
            response = attempt(client, proposal, move, user)
            proposal.refresh_from_db()
            if persona == allowed:
                assert response.status_code == 302
                assert proposal.state == MOVES[move][1]
                assert proposal.events.count() == events + 1
                assert proposal.events.last().actor == user
                continue
            seen = persona in {"proposer", "teammate"} or (
                persona in IN_REGION and from_state != State.DRAFT
            )
            # Seen but not theirs to make: 403 (no such role) or 409 (not at that step).
            assert response.status_code in ((403, 409) if seen else (404,))
            assert proposal.state == from_state
            assert proposal.events.count() == events


@pytest.mark.parametrize("from_state", list(State), ids=str)
def test_a_move_starts_only_from_its_states(request, subtests, proposal_in, from_state):
    proposal = proposal_in(from_state)
    events = proposal.events.count()
    for move, (function, _to_state) in MOVES.items():
        note = {"reason": "Catatan."} if move == "withdraw" else {"note": "Catatan."}
        for actor in CHAIN:
            if ALLOWED.get((move, from_state)) == actor:
                continue
            with subtests.test(move=move, actor=actor):
                with pytest.raises(DomainError):
                    function(actor=request.getfixturevalue(actor), proposal=proposal, **note)
                proposal.refresh_from_db()
                assert proposal.state == from_state
                assert proposal.events.count() == events
    for (move, state), actor in ALLOWED.items():
        if state != from_state:
            continue
        with subtests.test(move=move, actor=actor, allowed=True):
            fresh = proposal_in(from_state)
            function, to_state = MOVES[move]
            note = {"reason": "Catatan."} if move == "withdraw" else {"note": "Catatan."}
            function(actor=request.getfixturevalue(actor), proposal=fresh, **note)
            fresh.refresh_from_db()
            assert fresh.state == to_state
            assert fresh.events.count() == events + 1


def test_the_matrix_covers_every_move_and_every_role(bontang):
    assert {move for move, _state in ALLOWED} == set(MOVES)
    personas = IN_REGION | OUTSIDE
    assert {"kecamatan_officer", "kelurahan_officer", "other_kecamatan_officer"} <= personas
    assert {"coordinator", "other_coordinator", "staff", "kota_staff"} <= personas
    assert {"proposer", "teammate", "other_cadre"} <= personas
