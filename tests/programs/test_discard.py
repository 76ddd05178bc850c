"""A draft that was never submitted is discarded by its proposer, not withdrawn.

Found on the demo site: "Tarik usulan ini" on a draft with only a title answered 500 (the
database refuses an incomplete proposal outside the draft state).
"""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from cadres.models import CadreProfile
from forkom.errors import DomainError
from programs import services
from programs.models import Attachment, Proposal, ProposalAid
from tests.programs.factories import bring_to, make_proposal
from tests.programs.test_attachments import pdf, stored_files, upload

State = Proposal.State


def post(client, proposal, action, note=""):
    return client.post(
        reverse("programs:transition", args=[proposal.public_id]),
        {"action": action, "note": note, "token": str(uuid.uuid4())},
    )


@pytest.fixture
def title_only(client, proposer):
    """A draft as the tester saved it: "semua" steps, only a title, "Simpan draf"."""
    client.force_login(proposer)
    response = client.post(
        reverse("programs:create") + "?langkah=semua",
        {"title": "Hanya judul", "token": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    return Proposal.objects.get(title="Hanya judul")


def test_withdrawing_an_incomplete_draft_is_refused_with_a_message_not_a_server_error(
    client, title_only
):
    response = post(client, title_only, "withdraw", note="Tidak jadi.")
    assert response.status_code == 409
    assert "discard it instead" in response.content.decode()
    title_only.refresh_from_db()
    assert title_only.state == State.DRAFT
    assert title_only.events.count() == 1


def test_a_draft_page_offers_discarding_not_withdrawing(client, title_only):
    page = client.get(title_only.get_absolute_url()).content.decode()
    assert 'value="discard"' in page
    assert 'value="withdraw"' not in page


def test_the_proposer_discards_a_draft_with_its_files(
    client, proposer, title_only, django_capture_on_commit_callbacks
):
    assert upload(client, title_only, "rab.pdf", pdf("rab.pdf").read()).status_code == 302
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, title_only, "discard")
    assert response.status_code == 302
    assert response.url == reverse("programs:mine")
    assert not Proposal.objects.filter(pk=title_only.pk).exists()
    assert not Attachment.objects.exists()
    assert stored_files() == []
    # Posted again (a double tap): the draft is gone, not a server error.
    assert post(client, title_only, "discard").status_code == 404


def test_only_the_proposer_discards_and_only_a_draft(
    proposer, teammate, kecamatan_officer, coordinator, staff
):
    draft = make_proposal(proposer)
    with pytest.raises(DomainError, match="Only the proposer"):
        services.discard_draft(actor=teammate, proposal=draft)
    returned = bring_to(
        make_proposal(proposer),
        State.RETURNED,
        officer=kecamatan_officer,
        coordinator=coordinator,
        staff=staff,
    )
    with pytest.raises(DomainError, match="Only a draft can be discarded"):
        services.discard_draft(actor=proposer, proposal=returned)
    assert Proposal.objects.filter(pk__in=[draft.pk, returned.pk]).count() == 2
    assert ProposalAid.objects.filter(proposal=draft).exists()


def test_a_returned_proposal_is_still_withdrawn_and_offers_no_discarding(
    client, proposer, kecamatan_officer, coordinator, staff
):
    returned = bring_to(
        make_proposal(proposer),
        State.RETURNED,
        officer=kecamatan_officer,
        coordinator=coordinator,
        staff=staff,
    )
    client.force_login(proposer)
    page = client.get(returned.get_absolute_url()).content.decode()
    assert 'value="discard"' not in page
    assert post(client, returned, "discard").status_code == 409
    assert post(client, returned, "withdraw", note="Sudah didanai.").status_code == 302
    returned.refresh_from_db()
    assert returned.state == State.WITHDRAWN


@pytest.mark.parametrize("note", ["", "   ", "x" * 2001])
def test_a_refused_withdrawal_says_why_in_its_own_form(client, proposer, note):
    """A submitted proposal offers only "Withdraw", whose form had no place for the reason it
    was refused: the page came back, 400, saying nothing (found by a walk through the demo
    site)."""
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    client.force_login(proposer)
    response = post(client, proposal, "withdraw", note=note)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="withdraw-reason-error"' in page
    assert '<details class="proposal-withdraw" open>' in page
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED


def test_the_language_switch_of_a_refused_page_comes_back_to_the_page_not_the_post(
    client, proposer
):
    """The switch's `next` was the address the refused form was posted to, which answers no
    GET: switching language led to "Use the button on the page" (found by a walk through the
    demo site). It is the page the form was sent from."""
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    client.force_login(proposer)
    page = proposal.get_absolute_url()
    response = client.post(
        reverse("programs:transition", args=[proposal.public_id]),
        {"action": "withdraw", "note": "", "token": str(uuid.uuid4())},
        HTTP_REFERER=f"http://testserver{page}",
    )
    assert response.status_code == 400
    assert f'<input type="hidden" name="next" value="{page}">' in response.text
    # From another host, or none: the home page.
    response = client.post(
        reverse("programs:transition", args=[proposal.public_id]),
        {"action": "withdraw", "note": "", "token": str(uuid.uuid4())},
        HTTP_REFERER=f"https://example.com{page}",
    )
    assert '<input type="hidden" name="next" value="/">' in response.text


def test_a_draft_discarded_before_the_worker_told_of_it_leaves_nothing_to_tell(proposer):
    """Saved and discarded within a second, the draft's creation was still queued: the task
    then failed on the event that was gone (found by a walk through the demo site)."""
    from programs.notifications import proposal_moved

    draft = make_proposal(proposer)
    created = draft.events.get().pk
    services.discard_draft(actor=proposer, proposal=draft)
    proposal_moved(created)  # nothing to tell, and no error


def test_a_deleted_cadres_drafts_go_with_her_data_and_her_team_is_told_without_her_name(
    proposer,
    teammate,
    staff,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """Her drafts were never submitted: nobody but her and her team saw them, and the words
    are hers. Asked to delete her data, they go with it, with their files, as if she had
    discarded them; what she submitted stays (anonymised), and so do the drafts of others
    whose team she is on."""
    from cadres import services as cadre_services
    from forkom import personal_data

    client = Client()
    client.force_login(proposer)
    team = [CadreProfile.objects.get(user=teammate)]
    draft = make_proposal(proposer, title="Draf rahasia Siti", problem="Kata-kata Siti", team=team)
    assert upload(client, draft, "rab.pdf", pdf("rab.pdf").read()).status_code == 302
    submitted = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    theirs = make_proposal(
        teammate, kelurahan="64.74.03.1003", team=[CadreProfile.objects.get(user=proposer)]
    )
    request = cadre_services.request_deletion(actor=proposer)
    del mailoutbox[:]

    with django_capture_on_commit_callbacks(execute=True):
        cadre_services.carry_out_deletion(actor=staff, request=request)

    assert not Proposal.objects.filter(pk=draft.pk).exists()
    assert not Proposal.objects.filter(problem="Kata-kata Siti").exists()
    assert stored_files() == []
    assert set(Proposal.objects.values_list("pk", flat=True)) == {submitted.pk, theirs.pk}
    submitted.refresh_from_db()
    assert submitted.proposer.full_name == personal_data.ANONYMISED_NAME
    [told] = [message for message in mailoutbox if message.to == [teammate.email]]
    assert "Draf rahasia Siti" in told.body
    assert "dihapus bersama data pribadi pengusulnya" in told.body
    assert "Siti" not in told.body.replace("Draf rahasia Siti", "")
