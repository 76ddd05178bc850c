"""The proposal page reads its lists (team, history, files, aids, comments) through
statements kept per relation (forkom.statements.related): the same rows as the related
managers give, read afresh on every call."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cadres.models import CadreProfile
from forkom import statements
from forkom.territory.models import Region
from programs import services
from programs.models import AidKind, Proposal
from tests.programs.factories import make_proposal
from tests.programs.test_attachments import PDF


def fields(rows):
    return [{name: value for name, value in vars(row).items() if name != "_state"} for row in rows]


@pytest.fixture
def proposal(proposer, teammate):
    """Submitted, with a team member, two aids, a file and two comments."""
    draft = make_proposal(proposer, team=[CadreProfile.objects.get(user=teammate)])
    upload = SimpleUploadedFile("rab.pdf", PDF, content_type="application/pdf")
    services.attach_file(actor=proposer, proposal=draft, upload=upload)
    submitted = services.submit_proposal(actor=proposer, proposal=draft)
    for who, words in ((proposer, "Mohon dukungannya."), (teammate, "Saya ikut.")):
        services.add_comment(actor=who, proposal=submitted, body=words, token=uuid.uuid4())
    return submitted


@pytest.mark.parametrize("name", ["team", "events", "aids", "attachments", "comments"])
def test_a_kept_list_is_the_related_managers(proposal, name):
    manager = getattr(proposal, name)
    kept = statements.related(manager)
    assert kept  # something to compare
    assert fields(kept) == fields(manager.all())


def test_the_rows_point_back_at_the_instance_and_joined_rows_come_with_them(
    proposal, proposer, django_assert_num_queries
):
    with django_assert_num_queries(1):
        events = statements.related(proposal.events, "actor")
        assert all(event.proposal is proposal for event in events)
        assert {event.actor.email for event in events} == {proposer.email}
    assert len(events) >= 2  # created, submitted


def test_the_rows_are_read_afresh_for_each_instance(proposal, proposer, django_assert_num_queries):
    statements._related_statement.cache_clear()
    assert [aid.kind for aid in statements.related(proposal.aids)] == [
        AidKind.TRAINING,
        AidKind.MENTORING,
    ]
    other = make_proposal(proposer, aids=[(AidKind.CSR, 1_000_000, "")])
    with django_assert_num_queries(1):
        assert [aid.kind for aid in statements.related(other.aids)] == [AidKind.CSR]
    proposal.aids.filter(kind=AidKind.MENTORING).delete()
    assert [aid.kind for aid in statements.related(proposal.aids)] == [AidKind.TRAINING]
    assert statements._related_statement.cache_info().currsize == 1  # compiled once


def test_a_relation_keyed_by_a_code_is_kept_too(bontang, django_assert_num_queries):
    kecamatan = Region.objects.get(code="64.74.03")
    with django_assert_num_queries(1):
        kelurahan = statements.related(kecamatan.children)
        assert all(region.parent is kecamatan for region in kelurahan)
    assert len(kelurahan) > 1
    assert fields(kelurahan) == fields(kecamatan.children.all())


def test_prefetched_rows_are_given_as_they_are(proposal, django_assert_num_queries):
    fetched = Proposal.objects.prefetch_related("aids").get(pk=proposal.pk)
    with django_assert_num_queries(0):
        assert len(statements.related(fetched.aids)) == 2  # the factory's two


def test_a_profiles_history_comes_with_its_actors_profiles(
    proposer, teammate, django_assert_num_queries
):
    """The cadre page's history (cadres.selectors.history) names each actor from their
    profile, joined from the account in the same statement: a reverse one-to-one."""
    profile = CadreProfile.objects.get(user=proposer)
    with django_assert_num_queries(1):
        events = statements.related(profile.events, "actor__cadre_profile")
        actors = [getattr(event.actor, "cadre_profile", None) for event in events]
    assert len(events) == 2  # registered, then verified by a superuser without a profile
    assert fields(events) == fields(profile.events.all())
    assert actors == [profile, None]
