"""Who decides on a proposal is found from its kelurahan's code (forkom.scope.ancestor_q),
not by joining its regions up to the reviewing one: the same proposals either way."""

import pytest

from forkom import scope
from forkom.accounts.models import Position, Role
from programs.models import REVIEW_STEPS, Proposal
from programs.selectors import waiting_for, waiting_to_count
from tests.conftest import make_persona, make_user
from tests.programs.factories import make_proposal, make_verified_profile

# The path from a proposal up to its reviewing region's code, level by level: what the
# queue joined before.
JOINED_PATH = {
    3: "location__parent__code",
    2: "location__parent__parent__code",
    1: "location__parent__parent__parent__code",
}
KELURAHAN = ["64.74.01.1001", "64.74.03.1001", "64.74.03.1002", "64.72.01.1001", "65.01.01.1001"]


@pytest.fixture
def proposals(bontang, other_kota, bulungan):
    """A proposal in each kelurahan in each review state (states set directly: only who
    finds them is under test)."""
    made = []
    for number, code in enumerate(KELURAHAN):
        proposer = make_verified_profile(
            make_user(f"pengusul{number}@test.forkom.id"), kelurahan=code
        )
        for state in REVIEW_STEPS:
            proposal = make_proposal(proposer.user, kelurahan=code, title=f"{state} {code}")
            Proposal.objects.filter(pk=proposal.pk).update(state=state)
            made.append(proposal)
    return made


def viewers():
    """Grants at, above and below each reviewing level, of the reviewing roles and others."""
    return [
        make_persona(Role.FORUM_OFFICER, "64.74.03", Position.KETUA),
        make_persona(Role.FORUM_OFFICER, "64.74.03.1001", Position.KETUA),
        make_persona(Role.CITY_COORDINATOR, "64.74"),
        make_persona(Role.CITY_COORDINATOR, "64.72"),
        make_persona(Role.DINAS_STAFF, "64"),
        make_persona(Role.DINAS_STAFF, "65"),
        make_persona(Role.DINAS_STAFF, "64.74"),
    ]


def test_the_reviewers_found_by_code_are_those_found_by_joining_the_regions(proposals):
    reached = 0
    for viewer in viewers():
        for state, (role, level) in REVIEW_STEPS.items():
            in_state = Proposal.objects.filter(state=state)
            by_code = set(
                in_state.filter(scope.ancestor_q(viewer, "location__code", {role}, level))
            )
            joined = set(in_state.filter(scope.region_q(viewer, JOINED_PATH[level], {role})))
            assert by_code == joined, (viewer.email, state)
            reached += len(by_code)
    # Each reviewer reaches their own: 2 submitted (kecamatan 64.74.03), 3 recommended (kota
    # 64.74), 1 (kota 64.72), 4 escalated (province 64), 1 (province 65); none for the
    # kelurahan officer, or for staff held over a kota.
    assert reached == 2 + 3 + 1 + 4 + 1


def test_the_queue_and_its_count_agree_for_every_viewer(proposals):
    for viewer in viewers():
        queue = set(waiting_for(viewer))
        assert queue == set(waiting_to_count(viewer)), viewer.email
        for proposal in queue:
            role, region_code = proposal.reviewer()
            assert scope.can_act(viewer, region_code, {role}), (viewer.email, proposal.title)
