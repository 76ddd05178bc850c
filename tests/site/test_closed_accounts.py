"""Nothing is written on behalf of a person once their account is closed.

Forgetting a person (a deletion request carried out, the retention period run out) closes
their account in the transaction that anonymises what they wrote. A request of theirs under
way meanwhile (a comment being posted, an answer to a meeting) made its first checks before:
the service checks the account again under its lock (lock_open_account), refuses, and writes
nothing. Here the account is closed as forgetting leaves it while what the service read
before its transaction (the verified profile, the forum membership) still reads as it did;
tests/site/test_closed_accounts_concurrency.py forces the real interleavings on PostgreSQL.
"""

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from cadres import services as cadre_services
from cadres.forums import services as forum_services
from cadres.meetings import services as meeting_services
from cadres.models import (
    CadreEvent,
    CadreProfile,
    ConsentRecord,
    DeletionRequest,
    MeetingEvent,
)
from forkom.accounts import services as account_services
from forkom.accounts.models import Role, RoleAssignment, User
from forkom.errors import MayNot
from forkom.notifications import kinds
from forkom.notifications import services as notification_services
from forkom.notifications.models import EmailPreference
from forkom.territory.models import Region
from programs import services as programs
from programs.innovations import services as innovations
from programs.models import (
    Attachment,
    Comment,
    Innovation,
    InnovationEvent,
    InnovationPhoto,
    Proposal,
    ProposalEvent,
)
from tests.conftest import make_user, picture
from tests.programs.factories import make_proposal, make_verified_profile, proposal_details

PDF = b"%PDF-1.4\n%%EOF\n"
CLOSED = "This account is closed."


@pytest.fixture(autouse=True)
def _in_english_and_media_in_tmp(media_in_tmp):
    with translation.override("en"):
        yield


@pytest.fixture
def siti(bontang, kecamatan_officer):
    """A verified cadre of Belimbing (Bontang Barat), member of the kecamatan forum."""
    user = make_user("siti@test.forkom.id", first_name="Siti")
    profile = make_verified_profile(user, full_name="Siti Rahmawati")
    forum = forum_services.get_or_create_forum(region=Region.objects.get(code="64.74.03"))
    forum_services.add_member(actor=kecamatan_officer, forum=forum, profile=profile)
    return user


def meeting_inviting(user, officer):
    """A meeting of the Bontang Barat forum in three days, `user` invited."""
    starts = timezone.now() + timedelta(days=3)
    return meeting_services.schedule_meeting(
        actor=officer,
        region=Region.objects.get(code="64.74.03"),
        title="Rapat pengurus",
        agenda="Laporan kegiatan",
        place="Aula Kecamatan",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        invitee_ids=[user.pk],
    )


def closed_meanwhile(user):
    """The account as forgetting leaves it (closed, without an address); `user`, the object
    the request read when it began, still reads as active."""
    User.objects.filter(pk=user.pk).update(is_active=False, email=None)


def upload(name, content):
    return SimpleUploadedFile(name, content)


def innovation_details():
    return {
        "title": "Dodol rumput laut",
        "description": "Ibu-ibu mengolah rumput laut menjadi dodol.",
        "kelurahan": Region.objects.get(code="64.74.03.1001"),
        "results": "300 bungkus per bulan.",
        "impact": "20 keluarga mendapat tambahan penghasilan.",
    }


def programme_rows():
    return (
        list(Proposal.objects.values_list("pk", "state", "title", "name_public_since")),
        list(ProposalEvent.objects.values_list("pk", "note")),
        list(Comment.objects.values_list("pk", "body")),
        list(Attachment.objects.values_list("pk", flat=True)),
        list(Innovation.objects.values_list("pk", flat=True)),
        list(InnovationEvent.objects.values_list("pk", flat=True)),
        list(InnovationPhoto.objects.values_list("pk", flat=True)),
    )


# Each case: given Siti and the officers, what is there before, and her attempt.


def new_draft(siti, **_):
    return lambda: programs.create_draft(actor=siti, **proposal_details())


def saved_draft_with_a_file(siti, **_):
    details = proposal_details()
    return lambda: programs.save_draft(
        actor=siti, token=uuid.uuid4(), details=details, files=[upload("rab.pdf", PDF)]
    )


def changed_draft(siti, **_):
    proposal = make_proposal(siti)
    details = proposal_details(title="Judul yang diubah")
    return lambda: programs.update_draft(actor=siti, proposal=proposal, **details)


def submitted_proposal(siti, **_):
    proposal = make_proposal(siti)
    return lambda: programs.submit_proposal(actor=siti, proposal=proposal, note="Mohon ditinjau")


def withdrawn_proposal(siti, **_):
    proposal = programs.submit_proposal(actor=siti, proposal=make_proposal(siti))
    return lambda: programs.withdraw_proposal(
        actor=siti, proposal=proposal, reason="Saya pindah ke Surabaya."
    )


def comment(siti, **_):
    proposal = make_proposal(siti)
    return lambda: programs.add_comment(
        actor=siti, proposal=proposal, body="Nomor saya 0812-1111-2222."
    )


def attached_file(siti, **_):
    proposal = make_proposal(siti)
    return lambda: programs.attach_file(
        actor=siti, proposal=proposal, upload=upload("ktp.pdf", PDF)
    )


def name_shown_publicly(siti, **_):
    proposal = make_proposal(siti)
    return lambda: programs.set_name_shown_publicly(actor=siti, proposal=proposal, shown=True)


def recorded_innovation(siti, **_):
    return lambda: innovations.record_innovation(actor=siti, **innovation_details())


def innovation_photo(siti, **_):
    innovation = innovations.record_innovation(actor=siti, **innovation_details())
    return lambda: innovations.attach_photo(
        actor=siti, innovation=innovation, upload=upload("foto.jpg", picture("JPEG"))
    )


@pytest.mark.parametrize(
    "attempt",
    [
        new_draft,
        saved_draft_with_a_file,
        changed_draft,
        submitted_proposal,
        withdrawn_proposal,
        comment,
        attached_file,
        name_shown_publicly,
        recorded_innovation,
        innovation_photo,
    ],
)
def test_a_closed_account_writes_nothing_on_proposals_or_innovations(siti, attempt):
    act = attempt(siti)
    before = programme_rows()
    closed_meanwhile(siti)

    with pytest.raises(MayNot, match=CLOSED):
        act()

    assert programme_rows() == before


def test_a_closed_account_does_not_answer_a_meeting_invitation(siti, kecamatan_officer):
    meeting = meeting_inviting(siti, kecamatan_officer)
    closed_meanwhile(siti)

    with pytest.raises(MayNot, match=CLOSED):
        meeting_services.answer_invitation(actor=siti, meeting=meeting, answer="hadir")

    invitation = meeting.invitations.get(user=siti)
    assert (invitation.answer, invitation.answered_at) == ("", None)
    assert not MeetingEvent.objects.filter(actor=siti).exists()


def test_a_closed_account_does_not_edit_its_profile(siti):
    profile = CadreProfile.objects.get(user=siti)
    details = {
        "full_name": profile.full_name,
        "nik": profile.nik,
        "sex": profile.sex,
        "birth_place": profile.birth_place,
        "birth_date": profile.birth_date,
        "phone": profile.phone,
        "address": "Jl. Rahasia No. 9",
        "kelurahan": profile.kelurahan,
        "education": profile.education,
    }
    events = CadreEvent.objects.count()
    closed_meanwhile(siti)

    with pytest.raises(MayNot, match=CLOSED):
        cadre_services.update_profile(actor=siti, profile=profile, **details)

    assert CadreProfile.objects.get(pk=profile.pk).address == profile.address
    assert CadreEvent.objects.count() == events


def test_a_closed_account_asks_for_no_deletion(siti):
    closed_meanwhile(siti)

    with pytest.raises(MayNot, match=CLOSED):
        cadre_services.request_deletion(actor=siti, reason="Pindah ke Surabaya")

    assert not DeletionRequest.objects.exists()


def test_a_closed_account_agrees_to_no_personal_data_statement(siti):
    ConsentRecord.objects.filter(user=siti).update(withdrawn_at=timezone.now())
    closed_meanwhile(siti)

    with pytest.raises(MayNot, match=CLOSED):
        cadre_services.record_consent(actor=siti, user=siti)

    assert not ConsentRecord.objects.filter(user=siti, withdrawn_at=None).exists()


def test_a_closed_account_keeps_no_notification_preferences(siti):
    chosen = {kind.name: False for kind in kinds.all_kinds()}
    closed_meanwhile(siti)

    with pytest.raises(MayNot, match=CLOSED):
        notification_services.set_email_preferences(actor=siti, chosen=chosen)

    assert not EmailPreference.objects.filter(user=siti).exists()


def test_a_closed_account_accepts_no_role_invitation(siti, staff):
    invitation, token = account_services.invite_to_role(
        actor=staff,
        email=siti.email,
        role=Role.DINAS_STAFF,
        region=Region.objects.get(code="64.74"),
    )
    closed_meanwhile(siti)

    with pytest.raises(MayNot, match=CLOSED):
        account_services.accept_invitation(actor=siti, token=token)

    assert not RoleAssignment.objects.filter(user=siti, role=Role.DINAS_STAFF).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_open_account_is_let_through_and_held(siti):
    """The guard hands back the account as stored, for a service to read."""
    assert account_services.lock_open_account(siti) == siti


def test_a_comment_posted_while_the_account_closes_is_answered_with_a_403_page(
    client, siti, monkeypatch
):
    """Siti's post passed sign-in and the view's checks; her deletion commits before the
    service writes: she gets the refusal page, and her words are nowhere."""
    proposal = make_proposal(siti)
    add_comment = programs.add_comment

    def deletion_commits_first(**arguments):
        closed_meanwhile(siti)
        return add_comment(**arguments)

    monkeypatch.setattr(programs, "add_comment", deletion_commits_first)
    client.force_login(siti)

    response = client.post(
        reverse("programs:comment", args=[proposal.public_id]),
        {"body": "Nomor saya 0812-1111-2222.", "token": str(uuid.uuid4())},
    )

    assert response.status_code == 403
    assert "Akun ini sudah ditutup." in response.content.decode()  # Indonesian, the default
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("module", "name", "url", "posted"),
    [
        (cadre_services, "record_consent", "cadres:consent", {"agree": "on"}),
        (notification_services, "set_email_preferences", "notifications:preferences", {}),
    ],
)
def test_a_form_posted_while_the_account_closes_is_answered_with_a_403_page(
    client, siti, monkeypatch, module, name, url, posted
):
    """The consent and the notification choices call their service from the view: the
    refusal is its page, not a server error, and nothing is written."""
    service = getattr(module, name)

    def deletion_commits_first(**arguments):
        closed_meanwhile(siti)
        return service(**arguments)

    monkeypatch.setattr(module, name, deletion_commits_first)
    consents = ConsentRecord.objects.count()
    client.force_login(siti)

    response = client.post(reverse(url), posted)

    assert response.status_code == 403
    assert "Akun ini sudah ditutup." in response.content.decode()
    assert ConsentRecord.objects.count() == consents
    assert not EmailPreference.objects.filter(user=siti).exists()
