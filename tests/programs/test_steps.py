"""A proposal written in steps on a phone: one part per page, each saved as a draft before
the next, the progress shown; the parts a step does not hold keep their saved values."""

import uuid

import pytest
from django.urls import reverse

from cadres.models import CadreProfile
from programs import services
from programs.models import Proposal
from tests.programs.factories import make_proposal


def step_url(proposal, number):
    return f"{reverse('programs:edit', args=[proposal.public_id])}?langkah={number}"


def post(client, url, **data):
    return client.post(url, {"token": str(uuid.uuid4()), **data}, HTTP_ACCEPT_LANGUAGE="en")


def test_a_new_proposal_starts_at_its_first_step_and_goes_on_step_by_step(client, proposer):
    client.force_login(proposer)
    page = client.get(reverse("programs:create"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Step 1 of 5" in page.text
    assert 'name="title"' in page.text
    assert 'name="problem"' not in page.text
    assert 'name="files"' not in page.text

    saved = post(client, reverse("programs:create") + "?langkah=1", title="Bank sampah RT 07")
    proposal = Proposal.objects.get()
    assert saved["Location"] == step_url(proposal, 2)

    page = client.get(step_url(proposal, 2), HTTP_ACCEPT_LANGUAGE="en")
    assert "Step 2 of 5" in page.text
    assert 'name="problem"' in page.text
    assert 'name="title"' not in page.text
    saved = post(
        client, step_url(proposal, 2), problem="Sampah menumpuk.", needs="Timbangan.", go="next"
    )
    assert saved["Location"] == step_url(proposal, 3)
    proposal.refresh_from_db()
    assert (proposal.title, proposal.problem, proposal.needs) == (
        "Bank sampah RT 07",
        "Sampah menumpuk.",
        "Timbangan.",
    )

    saved = post(
        client,
        step_url(proposal, 4),
        aid_training="on",
        aid_training_amount="2.500.000",
        go="back",
    )
    assert saved["Location"] == step_url(proposal, 3)
    assert [aid.kind for aid in proposal.aids.all()] == ["training"]
    proposal.refresh_from_db()
    assert proposal.problem == "Sampah menumpuk."  # step 4 did not touch step 2's parts

    saved = post(client, step_url(proposal, 5), go="done")
    assert saved["Location"] == proposal.get_absolute_url()
    assert [aid.kind for aid in proposal.aids.all()] == ["training"]  # kept by step 5


def test_the_stepper_ticks_the_steps_whose_parts_are_complete(client, proposer):
    draft = make_proposal(proposer)  # complete, with aids, no files
    client.force_login(proposer)
    page = client.get(step_url(draft, 5), HTTP_ACCEPT_LANGUAGE="en")
    stepper = page.text.split('class="stepper"')[1].split("</nav>")[0]
    assert stepper.count('class="done"') == 4
    assert 'aria-current="step"' in stepper
    Proposal.objects.filter(pk=draft.pk).update(problem="")
    page = client.get(step_url(draft, 5), HTTP_ACCEPT_LANGUAGE="en")
    stepper = page.text.split('class="stepper"')[1].split("</nav>")[0]
    assert stepper.count('class="done"') == 3


def test_a_step_keeps_the_team_and_a_returned_proposal_stays_complete(
    client, proposer, teammate, kecamatan_officer
):
    team = [CadreProfile.objects.get(user=teammate)]
    proposal = services.submit_proposal(
        actor=proposer, proposal=make_proposal(proposer, team=team)
    )
    services.return_proposal(actor=kecamatan_officer, proposal=proposal, note="Perjelas masalah.")
    client.force_login(proposer)
    saved = post(client, step_url(proposal, 2), problem="Lebih jelas.", needs="Timbangan.")
    assert saved.status_code == 302
    proposal.refresh_from_db()
    assert proposal.problem == "Lebih jelas."
    assert list(proposal.team.all()) == team
    # Emptying a needed part of a returned proposal is refused on the step's page.
    refused = post(client, step_url(proposal, 2), problem="", needs="Timbangan.")
    assert refused.status_code == 400
    proposal.refresh_from_db()
    assert proposal.problem == "Lebih jelas."


@pytest.mark.parametrize("step", ["9", "0", "abc", "1\x00", "٣", "99999999999999999999"])
def test_a_step_that_does_not_exist_is_refused_and_changes_nothing(client, proposer, step):
    draft = make_proposal(proposer)
    client.force_login(proposer)
    url = f"{reverse('programs:edit', args=[draft.public_id])}?langkah={step}"
    assert client.get(url).status_code == 400
    assert post(client, url, title="Diganti").status_code == 400
    draft.refresh_from_db()
    assert draft.title != "Diganti"
    create = f"{reverse('programs:create')}?langkah={step}"
    assert post(client, create, title="Baru").status_code == 400
    assert Proposal.objects.count() == 1


def test_the_whole_form_is_a_link_away(client, proposer):
    draft = make_proposal(proposer)
    client.force_login(proposer)
    page = client.get(f"{reverse('programs:edit', args=[draft.public_id])}?langkah=semua")
    for name in ("title", "problem", "goals", "aid_training", "files"):
        assert f'name="{name}"' in page.text
