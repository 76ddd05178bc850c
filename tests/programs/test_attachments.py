import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cadres.models import CadreProfile
from forkom import settings as project_settings
from forkom.errors import DomainError
from programs import services
from programs.models import MAX_ADDITIONAL_DOCUMENTS, MAX_ATTACHMENTS, Attachment, Proposal
from tests.conftest import picture, streamed
from tests.programs.factories import make_proposal

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = picture("PNG")
JPEG = picture("JPEG")
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64
LINUX_ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64
MB = 1024 * 1024


def upload(client, proposal, name, content, content_type="application/pdf"):
    return client.post(
        reverse("programs:attach", args=[proposal.public_id]),
        {
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "token": str(uuid.uuid4()),
        },
    )


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.fixture
def draft(proposer):
    return make_proposal(proposer)


def test_the_proposer_attaches_a_pdf_stored_under_a_random_name(client, proposer, draft):
    client.force_login(proposer)
    response = upload(client, draft, "RAB bank sampah.pdf", PDF)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "RAB bank sampah.pdf",
        "application/pdf",
        len(PDF),
    )
    [path] = stored_files()
    assert "RAB" not in path.name
    assert "bank" not in str(path)
    assert path.read_bytes() == PDF
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert streamed(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("name", "content"),
    [("proposal.pdf", WINDOWS_EXE), ("foto.jpg", LINUX_ELF), ("surat.png", b"<html>")],
)
def test_a_file_that_is_not_really_a_pdf_jpeg_or_png_is_refused(
    client, proposer, draft, name, content
):
    client.force_login(proposer)
    response = upload(client, draft, name, content)
    assert response.status_code == 400
    assert "Only PDF, JPEG and PNG files can be attached." in response.text
    # Beside the file field of the proposal's page, which offers it again.
    assert 'id="attach-error"' in response.text
    assert 'enctype="multipart/form-data"' in response.text
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_a_file_of_6_mb_is_refused(client, proposer, draft):
    client.force_login(proposer)
    response = upload(client, draft, "besar.pdf", PDF + b"0" * (6 * MB))
    assert response.status_code == 400
    assert "at most 5 MB" in response.text
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_a_file_of_exactly_5_mb_is_accepted(client, proposer, draft):
    client.force_login(proposer)
    response = upload(client, draft, "pas.pdf", PDF + b"0" * (5 * MB - len(PDF)))
    assert response.status_code == 302
    assert Attachment.objects.get().size == 5 * MB


def test_a_sixth_file_is_refused(client, proposer, draft):
    client.force_login(proposer)
    for number in range(5):
        assert upload(client, draft, f"foto{number}.png", PNG, "image/png").status_code == 302
    response = upload(client, draft, "foto6.png", PNG, "image/png")
    assert response.status_code == 409
    assert "at most 5 files" in response.text
    assert Attachment.objects.count() == 5
    assert len(stored_files()) == 5


def test_the_type_comes_from_the_content_and_the_name_gets_the_right_extension(
    client, proposer, draft
):
    client.force_login(proposer)
    upload(client, draft, "C:\\Users\\siti\\foto kegiatan.pdf", JPEG)
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/jpeg"
    assert attachment.original_name == "foto kegiatan.pdf.jpg"
    response = client.get(attachment.get_absolute_url())
    assert response["Content-Type"] == "image/jpeg"


def test_an_outsider_gets_404_on_the_file_and_reviewers_in_the_region_get_it(
    client, proposer, draft, outsider, other_kecamatan_officer, kecamatan_officer, coordinator
):
    client.force_login(proposer)
    upload(client, draft, "rab.pdf", PDF)
    url = Attachment.objects.get().get_absolute_url()
    client.force_login(kecamatan_officer)
    assert client.get(url).status_code == 404  # a draft stays with its proposer
    services.submit_proposal(actor=proposer, proposal=draft)
    for user in (outsider, other_kecamatan_officer):
        client.force_login(user)
        assert client.get(url).status_code == 404
    for user in (kecamatan_officer, coordinator):
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_a_file_of_another_proposal_is_not_found_through_a_proposal_one_may_see(
    client, proposer, draft
):
    client.force_login(proposer)
    upload(client, draft, "rab.pdf", PDF)
    attachment = Attachment.objects.get()
    mine_too = make_proposal(proposer, title="Usulan kedua")
    url = reverse("programs:attachment", args=[mine_too.public_id, attachment.public_id])
    assert client.get(url).status_code == 404


def test_files_are_attached_and_removed_only_by_the_proposer_while_editable(
    client, proposer, teammate, django_capture_on_commit_callbacks
):
    proposal = make_proposal(proposer, team=[CadreProfile.objects.get(user=teammate)])
    client.force_login(teammate)
    assert upload(client, proposal, "rab.pdf", PDF).status_code == 403
    client.force_login(proposer)
    upload(client, proposal, "rab.pdf", PDF)
    attachment = Attachment.objects.get()
    services.submit_proposal(actor=proposer, proposal=proposal)
    detach = reverse("programs:detach", args=[proposal.public_id, attachment.public_id])
    assert client.post(detach).status_code == 409
    assert Attachment.objects.count() == 1
    Proposal.objects.filter(pk=proposal.pk).update(state=Proposal.State.DRAFT)
    client.force_login(teammate)
    assert client.post(detach).status_code == 403
    client.force_login(proposer)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(detach).status_code == 302
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_under_review_a_file_is_an_additional_document_in_the_timeline_that_stays(
    client,
    proposer,
    teammate,
    kecamatan_officer,
    coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    proposal = make_proposal(proposer, team=[CadreProfile.objects.get(user=teammate)])
    upload(client_as(client, proposer), proposal, "rab.pdf", PDF)
    services.submit_proposal(actor=proposer, proposal=proposal)
    del mailoutbox[:]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, proposal, "surat dukungan lurah.pdf", PDF)
    assert response.status_code == 302
    document = Attachment.objects.get(additional=True)
    # The kecamatan forum holds the proposal now: its officer is told, and the team.
    assert sorted(address for message in mailoutbox for address in message.to) == sorted(
        [kecamatan_officer.email, teammate.email]
    )
    assert coordinator.email not in {address for m in mailoutbox for address in m.to}
    page = client_as(client, kecamatan_officer).get(proposal.get_absolute_url())
    timeline = page.text.split('id="timeline"')[1].split('id="discussion"')[0]
    assert "surat dukungan lurah.pdf" in timeline
    assert client.get(document.get_absolute_url()).status_code == 200
    # It stays, even once the proposal is back with its proposer for revision.
    services.return_proposal(actor=kecamatan_officer, proposal=proposal, note="Lengkapi RAB.")
    client_as(client, proposer)
    detach = reverse("programs:detach", args=[proposal.public_id, document.public_id])
    assert client.post(detach).status_code == 409
    assert Attachment.objects.filter(pk=document.pk).exists()
    # Once decided, nothing more can be added.
    services.submit_proposal(actor=proposer, proposal=proposal)
    services.decline_proposal(actor=kecamatan_officer, proposal=proposal, note="Tidak sesuai.")
    assert upload(client, proposal, "lagi.pdf", PDF).status_code == 409
    assert Attachment.objects.count() == 2


def test_additional_documents_are_limited_under_the_row_lock(client, proposer):
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    client_as(client, proposer)
    for number in range(MAX_ADDITIONAL_DOCUMENTS):
        assert upload(client, proposal, f"{number}.pdf", PDF).status_code == 302
    refused = upload(client, proposal, "satu lagi.pdf", PDF)
    assert refused.status_code == 409
    assert Attachment.objects.count() == MAX_ADDITIONAL_DOCUMENTS


def client_as(client, user):
    client.force_login(user)
    return client


def draft_form(**overrides):
    return {"title": "Bank sampah RT 07", "token": str(uuid.uuid4()), **overrides}


def pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_files_are_chosen_while_writing_and_saved_with_the_draft_once(client, proposer):
    client_as(client, proposer)
    form = draft_form()
    response = client.post(
        reverse("programs:create"), {**form, "files": [pdf("rab.pdf"), pdf("denah.pdf")]}
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert sorted(proposal.attachments.values_list("original_name", flat=True)) == [
        "denah.pdf",
        "rab.pdf",
    ]
    # The same form posted again (a double tap): still one draft with its two files.
    client.post(reverse("programs:create"), {**form, "files": [pdf("rab.pdf"), pdf("denah.pdf")]})
    assert Proposal.objects.count() == 1
    assert Attachment.objects.count() == 2
    assert len(stored_files()) == 2


def test_a_wrong_file_in_the_draft_form_is_named_beside_the_field_and_nothing_is_saved(
    client, proposer
):
    client_as(client, proposer)
    response = client.post(
        reverse("programs:create"),
        {
            **draft_form(summary="Ringkasan yang sudah diketik"),
            "files": [
                pdf("rab.pdf"),
                SimpleUploadedFile("foto.pdf", WINDOWS_EXE, content_type="application/pdf"),
            ],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert 'id="files-error"' in response.text
    assert "foto.pdf: only PDF, JPEG and PNG files can be attached." in response.text
    assert "Ringkasan yang sudah diketik" in response.text  # what was typed is kept
    assert not Proposal.objects.exists()
    assert stored_files() == []


def test_the_edit_form_removes_ticked_files_and_adds_new_ones_within_the_limit(
    client, proposer, draft, django_capture_on_commit_callbacks
):
    client_as(client, proposer)
    for number in range(3):
        upload(client, draft, f"{number}.pdf", PDF)
    first, second, _third = Attachment.objects.order_by("original_name")
    edit = reverse("programs:edit", args=[draft.public_id])
    page = client.get(edit)
    assert 'enctype="multipart/form-data"' in page.text
    too_many = client.post(
        edit, {**draft_form(), "files": [pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")]}
    )
    assert too_many.status_code == 400
    assert Attachment.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(
            edit,
            {
                **draft_form(),
                "remove": [str(first.pk), str(second.pk)],
                "files": [pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf"), pdf("d.pdf")],
            },
        )
    assert saved.status_code == 302
    assert sorted(Attachment.objects.values_list("original_name", flat=True)) == [
        "2.pdf",
        "a.pdf",
        "b.pdf",
        "c.pdf",
        "d.pdf",
    ]
    assert len(stored_files()) == 5


def test_a_file_of_another_proposal_cannot_be_ticked_for_removal(client, proposer, draft):
    client_as(client, proposer)
    other = make_proposal(proposer, title="Usulan kedua")
    upload(client, other, "punya usulan lain.pdf", PDF)
    theirs = Attachment.objects.get()
    response = client.post(
        reverse("programs:edit", args=[draft.public_id]),
        {**draft_form(), "remove": [str(theirs.pk)]},
    )
    assert response.status_code == 400
    assert Attachment.objects.filter(pk=theirs.pk).exists()


def test_a_refusal_after_files_were_stored_leaves_no_row_and_no_file(proposer, draft):
    """The form counts the files, but another upload can land in between: the service
    refuses under the row lock, rolls everything back and deletes what it stored."""
    files = [pdf(f"{number}.pdf") for number in range(MAX_ATTACHMENTS + 1)]
    with pytest.raises(DomainError):
        services.save_draft(
            actor=proposer,
            proposal=draft,
            token=uuid.uuid4(),
            details={"title": "Judul baru", "aids": []},
            files=files,
        )
    draft.refresh_from_db()
    assert draft.title != "Judul baru"
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_uploads_are_kept_away_from_the_static_files_and_have_no_public_url(client, draft):
    media = Path(project_settings.MEDIA_ROOT).resolve()
    for static in [
        Path(project_settings.STATIC_ROOT),
        *map(Path, project_settings.STATICFILES_DIRS),
    ]:
        assert not media.is_relative_to(static.resolve())
    assert not getattr(project_settings, "MEDIA_URL", "")
    assert client.get("/media/programs/anything").status_code == 404


def test_a_damaged_picture_is_refused_as_an_attachment_too(client, proposer, draft):
    client.force_login(proposer)
    client.cookies["django_language"] = "en"
    response = upload(client, draft, "denah.png", picture("PNG")[:30], "image/png")
    assert response.status_code == 400
    assert "The picture is damaged" in response.text
    assert not Attachment.objects.exists()
