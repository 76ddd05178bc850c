"""A form posted twice (a double tap on a phone, a reload) acts once.

Each form carries a one-time token; the row it made keeps it, and a repeat finds that row.
"""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs import services
from programs.models import Attachment, Innovation, InnovationPhoto, Proposal
from tests.programs.factories import make_proposal, make_verified_profile, proposal_details
from tests.programs.test_attachments import stored_files
from tests.programs.test_innovations import JPEG, record
from tests.programs.test_views import proposal_form

PDF = b"%PDF-1.4\n%%EOF\n"


def rendered_token(response):
    match = re.search(r'<input type="hidden" name="token" value="([0-9a-f-]{36})"', response.text)
    assert match, "the form has no token"
    return match.group(1)


def innovation_form(**overrides):
    return {
        "title": "Bank sampah digital",
        "description": "Warga menabung sampah lewat catatan bersama.",
        "kelurahan": "64.74.03.1001",
        "results": "2 ton sampah per bulan.",
        "impact": "Saluran air bersih.",
        **overrides,
    }


def test_the_new_proposal_form_posted_twice_makes_one_draft(client, proposer):
    client.force_login(proposer)
    token = rendered_token(client.get(reverse("programs:create")))
    first = client.post(reverse("programs:create"), proposal_form(token=token))
    again = client.post(reverse("programs:create"), proposal_form(token=token))
    assert (first.status_code, again.status_code) == (302, 302)
    proposal = Proposal.objects.get()
    assert first["Location"] == again["Location"] == proposal.get_absolute_url()
    assert proposal.events.count() == 1


def test_each_rendering_of_the_new_proposal_form_has_its_own_token(client, proposer):
    client.force_login(proposer)
    first = rendered_token(client.get(reverse("programs:create")))
    assert first != rendered_token(client.get(reverse("programs:create")))
    client.post(reverse("programs:create"), proposal_form(token=first))
    client.post(reverse("programs:create"), proposal_form(token=str(uuid.uuid4())))
    assert Proposal.objects.count() == 2


def test_a_new_proposal_form_without_its_token_is_refused_and_saves_nothing(client, proposer):
    client.force_login(proposer)
    form = proposal_form()
    del form["token"]
    response = client.post(reverse("programs:create"), form)
    assert response.status_code == 400
    assert "token" in response.context["form"].errors
    assert "Reload the page" in response.text
    assert not Proposal.objects.exists()


def test_a_refused_new_proposal_form_comes_back_with_the_same_token(client, proposer):
    client.force_login(proposer)
    token = str(uuid.uuid4())
    response = client.post(reverse("programs:create"), proposal_form(token=token, title=""))
    assert response.status_code == 400
    assert rendered_token(response) == token


def test_the_token_of_another_cadres_draft_is_refused_not_a_server_error(proposer, teammate):
    token = uuid.uuid4()
    mine = services.create_draft(actor=proposer, token=token, **proposal_details())
    with pytest.raises(services.DomainError, match="already sent"):
        services.create_draft(actor=teammate, token=token, **proposal_details())
    assert list(Proposal.objects.all()) == [mine]


def test_the_change_form_posted_twice_saves_the_change_and_its_file_once(client, proposer):
    draft = make_proposal(proposer)
    client.force_login(proposer)
    edit = reverse("programs:edit", args=[draft.public_id])
    token = rendered_token(client.get(edit))
    pdf = b"%PDF-1.4\n%%EOF\n"
    for _twice in range(2):
        form = proposal_form(title="Bank sampah RT 08", token=str(token))
        form["files"] = SimpleUploadedFile("rab.pdf", pdf, content_type="application/pdf")
        assert client.post(edit, form).status_code == 302
    assert draft.attachments.count() == 1
    draft.refresh_from_db()
    assert draft.title == "Bank sampah RT 08"


def test_the_innovation_form_posted_twice_records_one_innovation(client, proposer):
    client.force_login(proposer)
    token = rendered_token(client.get(reverse("programs:innovation_record")))
    first = client.post(reverse("programs:innovation_record"), innovation_form(token=token))
    again = client.post(reverse("programs:innovation_record"), innovation_form(token=token))
    assert (first.status_code, again.status_code) == (302, 302)
    innovation = Innovation.objects.get()
    assert first["Location"] == again["Location"] == innovation.get_absolute_url()
    assert innovation.events.count() == 1


def test_the_attachment_form_posted_twice_attaches_the_file_once(client, proposer):
    draft = make_proposal(proposer)
    client.force_login(proposer)
    token = rendered_token(client.get(draft.get_absolute_url()))
    for _ in range(2):
        response = client.post(
            reverse("programs:attach", args=[draft.public_id]),
            {"file": SimpleUploadedFile("rab.pdf", PDF), "token": token},
        )
        assert response.status_code == 302
    assert Attachment.objects.count() == 1
    assert len(stored_files()) == 1


def test_a_repeated_attachment_form_is_not_refused_as_a_sixth_file(client, proposer):
    draft = make_proposal(proposer)
    client.force_login(proposer)
    tokens = [str(uuid.uuid4()) for _ in range(5)]
    for token in [*tokens, tokens[-1]]:
        response = client.post(
            reverse("programs:attach", args=[draft.public_id]),
            {"file": SimpleUploadedFile("rab.pdf", PDF), "token": token},
        )
        assert response.status_code == 302
    assert Attachment.objects.count() == 5


def test_the_photo_form_posted_twice_adds_the_photo_once(client, proposer):
    innovation = record(proposer)
    client.force_login(proposer)
    token = rendered_token(client.get(innovation.get_absolute_url()))
    for _ in range(2):
        response = client.post(
            reverse("programs:innovation_photo_add", args=[innovation.public_id]),
            {"file": SimpleUploadedFile("foto.jpg", JPEG), "caption": "Dodol", "token": token},
        )
        assert response.status_code == 302
    assert InnovationPhoto.objects.count() == 1
    assert len(stored_files()) == 1


def test_the_token_of_another_proposals_attachment_is_refused_not_a_server_error(
    proposer, bontang
):
    other = make_verified_profile(kelurahan="64.74.03.1002", full_name="Lain").user
    token = uuid.uuid4()
    services.attach_file(
        actor=proposer,
        proposal=make_proposal(proposer),
        upload=SimpleUploadedFile("a.pdf", PDF),
        token=token,
    )
    with pytest.raises(services.DomainError, match="already sent"):
        services.attach_file(
            actor=other,
            proposal=make_proposal(other),
            upload=SimpleUploadedFile("b.pdf", PDF),
            token=token,
        )
    assert Attachment.objects.count() == 1
    assert len(stored_files()) == 1
