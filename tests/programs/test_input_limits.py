"""What a form takes has limits the database can hold and a person could mean: numbers,
dates, text and ids beyond them are refused with the reason (400), never a server error."""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from programs import services
from programs.innovations import services as innovation_services
from programs.models import AidKind, Innovation, InnovationEvent, Proposal
from tests.programs.factories import make_proposal, proposal_details
from tests.programs.test_double_posts import innovation_form
from tests.programs.test_innovations import record
from tests.programs.test_views import proposal_form

HUGE_ID = "9" * 30


@pytest.fixture
def draft(proposer):
    return make_proposal(proposer)


def post_both(client, draft, **overrides):
    """The same fields posted to the new proposal form and to the draft's change form."""
    created = client.post(reverse("programs:create"), proposal_form(**overrides))
    changed = client.post(
        reverse("programs:edit", args=[draft.public_id]), proposal_form(**overrides)
    )
    return created, changed


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"beneficiaries": "3000000000"}, "beneficiaries"),
        ({"beneficiaries": "10000001"}, "beneficiaries"),
        ({"beneficiaries": "9" * 30}, "beneficiaries"),
        ({"budget": "1.000.000.000.001"}, "budget"),
        ({"budget": "9" * 14}, "budget"),
        ({"aid_training_amount": "1.000.000.000.001"}, "aid_training_amount"),
        ({"starts_on": "0001-01-01"}, "starts_on"),
        ({"starts_on": "1999-12-31"}, "starts_on"),
        ({"ends_on": "9999-12-31"}, "ends_on"),
        ({"ends_on": "2101-01-01"}, "ends_on"),
        ({"summary": "x" * 5001}, "summary"),
        ({"problem": "x" * 2_000_000}, "problem"),
        ({"needs": "x" * 5001}, "needs"),
        ({"resources": "x" * 5001}, "resources"),
        ({"goals": "x" * 5001}, "goals"),
        ({"activities": "x" * 5001}, "activities"),
        ({"team": HUGE_ID}, "team"),
        ({"field": HUGE_ID}, "field"),
    ],
)
def test_a_proposal_beyond_the_limits_is_answered_400_and_changes_nothing(
    client, proposer, draft, overrides, field
):
    client.force_login(proposer)
    for response in post_both(client, draft, **overrides):
        assert response.status_code == 400
        assert field in response.context["form"].errors
    assert Proposal.objects.get() == draft
    draft.refresh_from_db()
    assert draft.title == proposal_details()["title"]


def test_a_proposal_at_the_limits_is_saved(client, proposer, draft):
    client.force_login(proposer)
    at_the_limits = {
        "beneficiaries": "10000000",
        "budget": "Rp 1.000.000.000.000",
        "aid_training_amount": "1.000.000.000.000",
        "starts_on": "2000-01-01",
        "ends_on": "2100-12-31",
        "summary": "x" * 5000,
    }
    for response in post_both(client, draft, **at_the_limits):
        assert response.status_code == 302
    for proposal in Proposal.objects.all():
        assert (proposal.beneficiaries, proposal.budget) == (10_000_000, 10**12)
        assert (proposal.starts_on, proposal.ends_on) == (date(2000, 1, 1), date(2100, 12, 31))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"beneficiaries": 3_000_000_000}, "beneficiaries"),
        ({"budget": 10**12 + 1}, "budget"),
        ({"budget": 10**30}, "budget"),
        ({"aids": [(AidKind.TRAINING, 10**12 + 1, "")]}, "amount"),
        ({"aids": [(AidKind.TRAINING, None, "x" * 301)]}, "characters"),
        ({"starts_on": date(1, 1, 1)}, "between the years"),
        ({"ends_on": date(9999, 12, 31)}, "between the years"),
        ({"summary": "x" * 5001}, "characters"),
        ({"title": "x" * 201}, "characters"),
    ],
)
def test_the_services_refuse_a_proposal_beyond_the_limits(proposer, draft, overrides, message):
    with pytest.raises(services.BadInput, match=message):
        services.create_draft(actor=proposer, **proposal_details(**overrides))
    with pytest.raises(services.BadInput, match=message):
        services.update_draft(actor=proposer, proposal=draft, **proposal_details(**overrides))
    assert Proposal.objects.get() == draft


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "x" * 2_000_000}, "description"),
        ({"results": "x" * 5001}, "results"),
        ({"impact": "x" * 5001}, "impact"),
        ({"cadres": HUGE_ID}, "cadres"),
        ({"proposal": HUGE_ID}, "proposal"),
        ({"field": HUGE_ID}, "field"),
    ],
)
def test_an_innovation_beyond_the_limits_is_answered_400_and_records_nothing(
    client, proposer, overrides, field
):
    client.force_login(proposer)
    response = client.post(
        reverse("programs:innovation_record"),
        innovation_form(token=str(uuid.uuid4()), **overrides),
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Innovation.objects.exists()


def test_the_service_refuses_an_innovation_text_beyond_the_limit(proposer):
    with pytest.raises(services.BadInput, match="characters"):
        record(proposer, impact="x" * 5001)
    assert not Innovation.objects.exists()


def test_a_publication_note_beyond_2000_characters_is_refused_and_publishes_nothing(
    client, proposer, kelurahan_officer
):
    innovation = record(proposer)
    client.force_login(kelurahan_officer)
    publish = reverse("programs:innovation_publish", args=[innovation.public_id])
    response = client.post(publish, {"note": "x" * 2_000_000})
    assert response.status_code == 400
    assert "2000 characters" in response.text
    innovation.refresh_from_db()
    assert not innovation.is_published()
    with pytest.raises(services.BadInput, match="characters"):
        innovation_services.publish_innovation(
            actor=kelurahan_officer, innovation=innovation, note="x" * 2001
        )
    assert client.post(publish, {"note": "x" * 2000}).status_code == 302
    innovation.refresh_from_db()
    assert innovation.is_published()


def test_a_channelling_note_beyond_2000_characters_is_refused(
    client, proposer, kelurahan_officer, coordinator
):
    innovation = innovation_services.publish_innovation(
        actor=kelurahan_officer, innovation=record(proposer)
    )
    client.force_login(coordinator)
    channel = reverse("programs:innovation_channel", args=[innovation.public_id])
    assert client.post(channel, {"note": "x" * 2001}).status_code == 400
    innovation.refresh_from_db()
    assert innovation.channelled_at is None
    assert not innovation.events.filter(kind=InnovationEvent.Kind.CHANNELLED).exists()
