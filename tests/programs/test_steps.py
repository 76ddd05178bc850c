"""A proposal written in steps on a phone: one part per page, each saved as a draft before
the next, the progress shown; the parts a step does not hold keep their saved values."""

import uuid

import pytest
from django.urls import reverse

from cadres.models import CadreProfile
from programs import services
from programs.forms import TEAM_SEARCH_LIMIT
from programs.models import Proposal
from tests.conftest import make_user
from tests.programs.factories import make_proposal, make_verified_profile


def step_url(proposal, number):
    return f"{reverse('programs:edit', args=[proposal.public_id])}?langkah={number}"


def post(client, url, **data):
    return client.post(url, {"token": str(uuid.uuid4()), **data}, HTTP_ACCEPT_LANGUAGE="en")


def test_a_new_proposal_starts_at_its_first_step_and_goes_on_step_by_step(client, proposer):
    client.force_login(proposer)
    page = client.get(reverse("programs:create"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Step 1 of 6" in page.text
    assert 'name="title"' in page.text
    assert 'name="problem"' not in page.text
    assert 'name="files"' not in page.text

    saved = post(client, reverse("programs:create") + "?langkah=1", title="Bank sampah RT 07")
    proposal = Proposal.objects.get()
    assert saved["Location"] == step_url(proposal, 2)

    page = client.get(step_url(proposal, 2), HTTP_ACCEPT_LANGUAGE="en")
    assert "Step 2 of 6" in page.text
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

    saved = post(client, step_url(proposal, 6), go="done")
    assert saved["Location"] == proposal.get_absolute_url()
    assert [aid.kind for aid in proposal.aids.all()] == ["training"]  # kept by step 6


def test_the_stepper_ticks_the_steps_whose_parts_are_complete(client, proposer):
    draft = make_proposal(proposer)  # complete, with aids, no team, no files
    client.force_login(proposer)
    page = client.get(step_url(draft, 6), HTTP_ACCEPT_LANGUAGE="en")
    stepper = page.text.split('class="stepper"')[1].split("</nav>")[0]
    assert stepper.count('class="done"') == 4
    assert 'aria-current="step"' in stepper
    Proposal.objects.filter(pk=draft.pk).update(problem="")
    page = client.get(step_url(draft, 6), HTTP_ACCEPT_LANGUAGE="en")
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


def test_the_team_step_finds_colleagues_by_name_and_lists_only_them_and_the_team(
    client, proposer, teammate, django_assert_max_num_queries
):
    """A kecamatan holds thousands of verified cadres: the team step shows its members and
    the colleagues a name search finds, never all of them."""
    draft = make_proposal(proposer)
    for number in range(30):
        make_verified_profile(
            make_user(f"rekan{number}@test.forkom.id"), full_name=f"Rekan {number:02}"
        )
    make_verified_profile(
        make_user("jauh@test.forkom.id"), kelurahan="64.74.01.1001", full_name="Rekan Jauh"
    )
    client.force_login(proposer)
    page = client.get(step_url(draft, 5), HTTP_ACCEPT_LANGUAGE="en")
    assert "Nobody on the team yet." in page.text
    assert page.text.count('name="team"') == 0
    found = client.get(step_url(draft, 5), {"tim": "rekan"}, HTTP_ACCEPT_LANGUAGE="en")
    assert found.text.count('name="team"') == TEAM_SEARCH_LIMIT
    assert "write more of the name" in found.text
    assert "Rekan Jauh" not in found.text  # another kecamatan
    one = CadreProfile.objects.get(full_name="Rekan 07")
    saved = post(client, step_url(draft, 5), team=[one.pk], go="stay")
    assert saved["Location"] == step_url(draft, 5)
    assert list(draft.team.all()) == [one]
    page = client.get(step_url(draft, 5), HTTP_ACCEPT_LANGUAGE="en")
    assert page.text.count('name="team"') == 1  # the member, ticked
    assert "checked" in page.text.split('name="team"')[1].split(">")[0]
    # A colleague of another kecamatan, posted by hand, is refused and nothing changes.
    far = CadreProfile.objects.get(full_name="Rekan Jauh")
    refused = post(client, step_url(draft, 5), team=[far.pk])
    assert refused.status_code == 400
    assert list(draft.team.all()) == [one]
    # The page costs the same however many colleagues the kecamatan holds.
    with django_assert_max_num_queries(20):
        client.get(step_url(draft, 5), {"tim": "rekan"})


def test_a_team_search_longer_than_a_name_is_refused(client, proposer):
    draft = make_proposal(proposer)
    client.force_login(proposer)
    assert client.get(step_url(draft, 5), {"tim": "x" * 151}).status_code == 400


def stepper_of(page):
    stepper = page.text.split('class="stepper"')[1].split("</nav>")[0]
    return ['class="done"' in row or "stepper-done" in row for row in stepper.split("<li")[1:]]


def test_a_returned_proposal_is_saved_as_changes_not_as_a_draft(
    client, proposer, kecamatan_officer
):
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    services.return_proposal(actor=kecamatan_officer, proposal=proposal, note="Perjelas.")
    client.force_login(proposer)
    page = client.get(
        reverse("programs:edit", args=[proposal.public_id]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert ">Save changes</button>" in page.text
    assert "Save the draft</button>" not in page.text
    saved = post(client, step_url(proposal, 2), problem="Lebih jelas.", needs="Timbangan.")
    assert saved.status_code == 302
    assert "Your changes are saved." in client.get(saved.url, HTTP_ACCEPT_LANGUAGE="en").text
    draft = make_proposal(proposer)
    page = client.get(reverse("programs:edit", args=[draft.public_id]), HTTP_ACCEPT_LANGUAGE="en")
    assert ">Save the draft</button>" in page.text


def test_after_a_refused_save_the_stepper_ticks_no_step_the_error_names(
    client, proposer, kecamatan_officer
):
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    services.return_proposal(actor=kecamatan_officer, proposal=proposal, note="Perjelas.")
    client.force_login(proposer)
    # The whole form, the problem and the kelurahan emptied: the proposal stays complete.
    url = reverse("programs:edit", args=[proposal.public_id])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert stepper_of(page)[:4] == [True, True, True, True]
    form = {
        "title": proposal.title,
        "summary": proposal.summary,
        "problem": "",
        "needs": proposal.needs,
        "goals": proposal.goals,
        "activities": proposal.activities,
        "target_group": proposal.target_group,
        "beneficiaries": "20",
        "location": "",
        "starts_on": "2027-02-01",
        "ends_on": "2027-05-31",
        "budget": "12.500.000",
        "aid_training": "on",
    }
    refused = post(client, url, **form)
    assert refused.status_code == 400
    assert "still needs" in refused.text
    assert stepper_of(refused)[:4] == [True, False, False, True]
    # A value the form itself rejects: its step is not complete either.
    refused = post(client, url, **{**form, "problem": "Jelas.", "location": "64.74.03.1001",
                                   "budget": "dua juta"})  # fmt: skip
    assert refused.status_code == 400
    assert stepper_of(refused)[:4] == [True, True, False, True]
    proposal.refresh_from_db()
    assert proposal.problem != ""
