"""A proposal's pages read it by its key and ask may_see (programs.selectors
get_visible_or_404); the lists ask visible_proposals. Both answer alike."""

import itertools
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from cadres.models import CadreProfile
from forkom.accounts.models import Position, Role
from forkom.territory.models import Region
from programs import selectors
from programs.models import Proposal
from tests.conftest import found_or_none, make_persona, make_user
from tests.programs.factories import make_proposal, make_verified_profile


def test_a_proposal_s_page_finds_it_exactly_for_those_who_see_it_in_the_lists(
    proposer, teammate, kecamatan_officer, other_kecamatan_officer, coordinator, staff, elsewhere
):
    """Every state, submitted or never, in each place (the proposer's kecamatan, another,
    another kota, none for a draft), with and without a team, against the proposer, the
    team, officers of the kelurahan, the kecamatan and another one, the coordinator, staff of
    the province and another kota, a cadre not on it, superusers, an inactive account and
    the anonymous visitor."""
    team = CadreProfile.objects.get(user=teammate)
    proposals = []
    for state, submitted, place, with_team in itertools.product(
        Proposal.State.values,
        [False, True],
        ["64.74.03.1002", "64.74.01.1001", "64.72.01.1001", None],
        [False, True],
    ):
        if place is None and state != Proposal.State.DRAFT:
            continue  # only a draft may lack its kelurahan (proposal_complete_unless_draft)
        proposal = make_proposal(proposer, team=[team] if with_team else [])
        Proposal.objects.filter(pk=proposal.pk).update(
            state=state,
            first_submitted_at=timezone.now() if submitted else None,
            location=Region.objects.get(code=place) if place else None,
            returned_from="submitted" if state == Proposal.State.RETURNED else "",
        )
        proposals.append(proposal)
    stranger = make_user()
    make_verified_profile(stranger, kelurahan="64.74.03.1002")
    people = [
        proposer,
        teammate,
        make_persona(Role.FORUM_OFFICER, "64.74.03.1002", Position.KETUA),
        kecamatan_officer,
        other_kecamatan_officer,
        coordinator,
        staff,
        make_persona(Role.DINAS_STAFF, "64.72"),
        stranger,
        make_user(is_superuser=True),
        make_user(is_superuser=True, is_active=False),
        make_user(is_active=False),
        AnonymousUser(),
    ]
    found = refused = 0
    for person in people:
        listed = set(selectors.visible_proposals(person).values_list("pk", flat=True))
        for proposal in proposals:
            page = found_or_none(selectors.get_visible_or_404, person, proposal.public_id)
            assert (page is not None) is (proposal.pk in listed), (proposal.pk, person)
            found += page is not None
            refused += page is None
    assert found > 300
    assert refused > 300
    with pytest.raises(Http404):
        selectors.get_visible_or_404(proposer, uuid.uuid4())  # no proposal's key


def test_the_page_reads_the_proposal_with_what_it_shows_in_one_query(
    proposer, coordinator, django_assert_num_queries
):
    proposal = make_proposal(proposer)
    selectors.get_visible_or_404(proposer, proposal.public_id)  # the statement compiled
    with django_assert_num_queries(1):
        found = selectors.get_visible_or_404(proposer, proposal.public_id)
        assert found.proposer.full_name
        assert found.location.parent.name
        assert found.field is None or found.field.name
