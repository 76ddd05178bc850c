"""Deletion requests: the staff queue in the admin, carrying out (anonymising) and declining."""

import time
from datetime import date
from io import StringIO
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres import services
from cadres.models import (
    Body,
    CadreMembership,
    CadreProfile,
    DeletionRequest,
    Field,
    Forum,
    ForumEvent,
    ForumMember,
)
from forkom.accounts.models import Role, RoleAssignment
from forkom.errors import DomainError
from programs import services as programs_services
from programs.innovations import services as innovation_services
from programs.models import Attachment, InnovationPhoto
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_nik, make_profile
from tests.concurrency import done_or_refused, require_postgresql
from tests.conftest import PASSWORD, make_persona, make_user, picture
from tests.programs.factories import make_proposal

CHANGELIST = "/admin/cadres/deletionrequest/"
Status = CadreProfile.Status

# Everything that names or reaches Wahyuni; none of it may survive the deletion.
WAHYUNI = {
    "email": "wahyuni.lestari@contoh.id",
    "full_name": "Wahyuni Lestari",
    "birth_place": "Tenggarong",
    "birth_date": "1985-03-21",
    "phone": "+6281299998888",
    "phone_display": "0812-9999-8888",
    "address": "Jl. Kenanga Rahasia No. 77",
    "skills": "Menjahit batik ulin",
    "position": "Bendahara Posyandu Melati",
    "verify_note": "Dikenal baik oleh ketua RT",
    "reason": "Pindah ke Surabaya",
}


@pytest.fixture
def wahyuni(kelurahan_officer):
    user = make_user(WAHYUNI["email"], first_name="Wahyuni")
    nik = make_nik(day=21, month=3, year=85, sex="P")
    profile = make_profile(
        user=user,
        nik=nik,
        sex="P",
        full_name=WAHYUNI["full_name"],
        birth_place=WAHYUNI["birth_place"],
        birth_date=date(1985, 3, 21),
        phone=WAHYUNI["phone_display"],
        address=WAHYUNI["address"],
        skills=WAHYUNI["skills"],
        memberships=[(Body.objects.get(name="Posyandu"), WAHYUNI["position"], 2015)],
        fields=[Field.objects.get(name="Ekonomi kreatif/UMKM")],
    )
    services.verify_cadre(actor=kelurahan_officer, profile=profile, note=WAHYUNI["verify_note"])
    forum = Forum.objects.create(region_id="64.74.03.1001")
    ForumMember.objects.create(forum=forum, profile=profile)
    return profile


def _counts():
    """What anonymous reports count: cadres by kelurahan, sex, year of birth, body and field."""
    by_kelurahan = CadreProfile.objects.values_list("kelurahan", "sex").annotate(Count("pk"))
    by_year = CadreProfile.objects.values_list("birth_date__year").annotate(Count("pk"))
    by_body = CadreMembership.objects.values_list("body").annotate(Count("pk"))
    by_field = CadreProfile.fields.through.objects.values_list("field").annotate(Count("pk"))
    return [sorted(counts) for counts in (by_kelurahan, by_year, by_body, by_field)]


def _database_dump():
    out = StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def test_carrying_out_a_deletion_leaves_no_personal_data_and_the_same_counts(
    wahyuni, staff, django_capture_on_commit_callbacks
):
    make_profile(full_name="Kader Lain", kelurahan="64.74.02.1001")
    request = services.request_deletion(actor=wahyuni.user, reason=WAHYUNI["reason"])
    nik = wahyuni.nik
    before = _counts()

    with django_capture_on_commit_callbacks(execute=True):
        services.carry_out_deletion(actor=staff, request=request, note="Sesuai permintaan")

    assert _counts() == before
    dump = _database_dump()
    for trace in [nik, *WAHYUNI.values()]:
        assert trace not in dump, trace
    profile = CadreProfile.objects.get(pk=wahyuni.pk)
    assert profile.full_name == services.ANONYMISED_NAME
    assert (profile.nik, profile.birth_place, profile.phone, profile.address, profile.skills) == (
        None,
        "",
        "",
        "",
        "",
    )
    assert profile.birth_date == date(1985, 1, 1)
    assert (profile.kelurahan_id, profile.sex, profile.status) == (
        "64.74.03.1001",
        "P",
        Status.INACTIVE,
    )
    assert [m.body.name for m in profile.memberships.all()] == ["Posyandu"]
    assert profile.fields.count() == 1
    assert [e.after for e in profile.events.all()] == [
        Status.WAITING,
        Status.VERIFIED,
        Status.INACTIVE,
    ]
    assert profile.events.last().actor == staff
    user = profile.user
    assert (user.is_active, user.email, user.has_usable_password()) == (False, None, False)
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not RoleAssignment.objects.filter(user=user, is_active=True).exists()
    assert not ForumMember.objects.current().filter(profile=profile).exists()
    assert ForumEvent.objects.get(subject=user).kind == ForumEvent.Kind.MEMBER_REMOVED
    request.refresh_from_db()
    assert (request.status, request.handled_by, request.note) == (
        DeletionRequest.Status.DONE,
        staff,
        "Sesuai permintaan",
    )
    assert [message.to for message in mail.outbox][-1] == [WAHYUNI["email"]]


def test_a_forum_officers_term_ends_through_the_forum_with_its_event(kelurahan_officer, staff):
    profile = make_profile(user=kelurahan_officer)
    services.carry_out_deletion(actor=staff, request=services.request_deletion(actor=profile.user))
    assert not RoleAssignment.objects.current().filter(user=kelurahan_officer).exists()
    event = ForumEvent.objects.get(kind=ForumEvent.Kind.OFFICER_ENDED)
    assert (event.forum_id, event.subject, event.actor) == (
        "64.74.03.1001",
        kelurahan_officer,
        staff,
    )


def test_the_deleted_cadre_can_no_longer_sign_in(client, wahyuni, staff):
    services.carry_out_deletion(actor=staff, request=services.request_deletion(actor=wahyuni.user))
    response = client.post(
        reverse("account_login"), {"login": WAHYUNI["email"], "password": PASSWORD}
    )
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session


def test_counts_by_kelurahan_in_the_officer_list_stay_the_same(client, wahyuni, staff):
    client.force_login(staff)
    before = client.get(reverse("cadres:list")).context["page"].paginator.count
    services.carry_out_deletion(actor=staff, request=services.request_deletion(actor=wahyuni.user))
    response = client.get(reverse("cadres:list"), {"kelurahan": "64.74.03.1001"})
    assert response.context["page"].paginator.count == before
    assert WAHYUNI["full_name"] not in response.text


def test_staff_of_another_region_may_not_carry_out_a_deletion(wahyuni, other_kota):
    samarinda_staff = make_persona(Role.DINAS_STAFF, "64.72")
    request = services.request_deletion(actor=wahyuni.user)
    for actor in (samarinda_staff, make_persona(Role.FORUM_OFFICER, "64.74.03.1001", "ketua")):
        with pytest.raises(DomainError):
            services.carry_out_deletion(actor=actor, request=request)
    assert CadreProfile.objects.get(pk=wahyuni.pk).full_name == WAHYUNI["full_name"]
    assert DeletionRequest.objects.get().status == DeletionRequest.Status.OPEN


def test_a_request_is_handled_once(wahyuni, staff):
    request = services.request_deletion(actor=wahyuni.user)
    services.carry_out_deletion(actor=staff, request=request)
    with pytest.raises(DomainError):
        services.carry_out_deletion(actor=staff, request=request)
    with pytest.raises(DomainError):
        services.decline_deletion(actor=staff, request=request, note="Tidak")
    assert CadreProfile.objects.get(pk=wahyuni.pk).events.count() == 3


def test_declining_needs_a_reason_that_the_cadre_reads(
    wahyuni, staff, django_capture_on_commit_callbacks
):
    request = services.request_deletion(actor=wahyuni.user)
    with pytest.raises(DomainError):
        services.decline_deletion(actor=staff, request=request, note="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_deletion(
            actor=staff, request=request, note="Data masih diperlukan untuk pelatihan"
        )
    request.refresh_from_db()
    assert (request.status, request.handled_by) == (DeletionRequest.Status.DECLINED, staff)
    assert mail.outbox[-1].to == [WAHYUNI["email"]]
    assert "Data masih diperlukan untuk pelatihan" in mail.outbox[-1].body
    assert CadreProfile.objects.get(pk=wahyuni.pk).full_name == WAHYUNI["full_name"]
    # Declined, the cadre may ask again.
    assert services.request_deletion(actor=wahyuni.user).status == DeletionRequest.Status.OPEN


# --- Copies of the name in proposals, innovations, uploads and the admin history ----------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = picture("PNG")
# What Wahyuni wrote or uploaded, each naming her.
HER_WORDS = {
    "submit_note": "Diajukan oleh Wahyuni Lestari",
    "comment": "Terima kasih, salam dari Wahyuni Lestari",
    "file_name": "KTP Wahyuni Lestari.pdf",
    "photo_name": "wahyuni-di-lapak.png",
    "caption": "Wahyuni Lestari di lapak batik",
}


@pytest.fixture
def media(media_in_tmp):
    return media_in_tmp


def _stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.fixture
def her_work(wahyuni, kelurahan_officer, kecamatan_officer, staff, media):
    """Wahyuni's proposal (with a file, events and a comment), her published innovation (with
    a photo) and a change to her profile and account in the admin."""
    user = wahyuni.user
    proposal = make_proposal(user)
    programs_services.attach_file(
        actor=user,
        proposal=proposal,
        upload=SimpleUploadedFile(HER_WORDS["file_name"], PDF, content_type="application/pdf"),
    )
    programs_services.submit_proposal(actor=user, proposal=proposal, note=HER_WORDS["submit_note"])
    programs_services.recommend_proposal(
        actor=kecamatan_officer, proposal=proposal, note="Layak didukung"
    )
    programs_services.add_comment(actor=user, proposal=proposal, body=HER_WORDS["comment"])
    programs_services.add_comment(
        actor=kecamatan_officer, proposal=proposal, body="Mohon lengkapi RAB"
    )
    innovation = innovation_services.record_innovation(
        actor=user,
        title="Batik ulin Belimbing",
        description="Ibu-ibu membatik motif ulin.",
        kelurahan=wahyuni.kelurahan,
        results="Dua puluh perajin baru.",
        impact="Pendapatan keluarga naik.",
    )
    innovation_services.attach_photo(
        actor=user,
        innovation=innovation,
        upload=SimpleUploadedFile(HER_WORDS["photo_name"], PNG, content_type="image/png"),
        caption=HER_WORDS["caption"],
    )
    innovation_services.publish_innovation(actor=kelurahan_officer, innovation=innovation)
    admin_rows = [
        *RoleAssignment.objects.filter(user=user),
        *ForumMember.objects.filter(profile=wahyuni),
    ]
    for changed in (wahyuni, user, *admin_rows):
        LogEntry.objects.log_actions(
            user_id=staff.pk,
            queryset=[changed],
            action_flag=CHANGE,
            change_message=f"Alamat diganti: {WAHYUNI['address']}",
        )
    return SimpleNamespace(proposal=proposal, innovation=innovation)


def test_the_public_innovation_page_no_longer_names_a_deleted_cadre(
    client, wahyuni, her_work, staff
):
    url = her_work.innovation.get_absolute_url()
    assert "Wahyuni" in client.get(url).text

    services.carry_out_deletion(actor=staff, request=services.request_deletion(actor=wahyuni.user))

    response = client.get(url)
    assert response.status_code == 200
    assert "Wahyuni" not in response.text
    assert services.ANONYMISED_NAME in response.text


def test_no_proposal_innovation_upload_or_admin_history_row_keeps_a_deleted_cadres_name(
    wahyuni, her_work, staff, django_capture_on_commit_callbacks
):
    request = services.request_deletion(actor=wahyuni.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.carry_out_deletion(actor=staff, request=request)

    dump = _database_dump()
    for trace in ["Wahyuni", WAHYUNI["email"], WAHYUNI["address"], *HER_WORDS.values()]:
        assert trace not in dump, trace
    entries = LogEntry.objects.all()
    assert len(entries) == 4  # her profile, account, cadre role and forum membership
    assert {(entry.object_repr, entry.change_message) for entry in entries} == {
        (services.ANONYMISED_NAME, "")
    }


def test_the_proposal_timeline_keeps_a_deleted_cadres_events_and_comments_without_her_words(
    wahyuni, her_work, staff
):
    her = wahyuni.user.pk
    rows = {
        "proposal events": (her_work.proposal.events, "actor_id", "actor_name", "note"),
        "comments": (her_work.proposal.comments, "author_id", "author_name", "body"),
        "innovation events": (her_work.innovation.events, "actor_id", "actor_name", "note"),
    }
    before = {
        what: list(queryset.values_list(*names)) for what, (queryset, *names) in rows.items()
    }
    assert all(any(row[0] == her for row in before[what]) for what in rows)
    assert any(row[0] != her for row in before["comments"])

    services.carry_out_deletion(actor=staff, request=services.request_deletion(actor=wahyuni.user))

    for what, (queryset, *names) in rows.items():
        expected = [
            (actor, services.ANONYMISED_NAME, "") if actor == her else (actor, name, text)
            for actor, name, text in before[what]
        ]
        assert list(queryset.values_list(*names)) == expected, what


def test_the_proposal_page_says_a_comment_left_with_its_authors_data(
    client, wahyuni, her_work, staff, kecamatan_officer, settings
):
    services.carry_out_deletion(actor=staff, request=services.request_deletion(actor=wahyuni.user))
    client.force_login(kecamatan_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(her_work.proposal.get_absolute_url())
    assert response.status_code == 200
    assert "Comment deleted with its author's personal data." in response.text


def test_a_deleted_cadres_uploads_leave_storage_once_the_deletion_is_committed(
    wahyuni, her_work, staff, media, django_capture_on_commit_callbacks
):
    assert len(_stored_files(media)) == 2  # her file and her photo
    request = services.request_deletion(actor=wahyuni.user)

    with django_capture_on_commit_callbacks() as callbacks:
        services.carry_out_deletion(actor=staff, request=request)
    assert len(_stored_files(media)) == 2  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    assert _stored_files(media) == []
    assert not Attachment.objects.filter(proposal=her_work.proposal).exists()
    assert not InnovationPhoto.objects.filter(innovation=her_work.innovation).exists()


# --- The admin queue ----------------------------------------------------------------------


@pytest.fixture
def samarinda_request(other_kota):
    profile = make_profile(full_name="Kader Samarinda", kelurahan="64.72.01.1001")
    return services.request_deletion(actor=profile.user)


def test_the_queue_shows_only_requests_of_the_staff_members_region(
    client, wahyuni, samarinda_request
):
    bontang_request = services.request_deletion(actor=wahyuni.user)
    client.force_login(with_totp(make_persona(Role.DINAS_STAFF, "64.74")))
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [bontang_request]
    assert WAHYUNI["full_name"] in response.text
    assert "Kader Samarinda" not in response.text
    url = reverse("admin:cadres_deletionrequest_change", args=[samarinda_request.pk])
    assert client.get(url).status_code == 302  # the admin's "does not exist" redirect


def _queue_queries(client, count):
    DeletionRequest.objects.all().delete()
    for _ in range(count):
        services.request_deletion(actor=make_profile(nik=make_nik()).user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == count
    return len(queries)


def test_the_queue_query_count_does_not_grow_with_the_rows(client, staff):
    client.force_login(with_totp(staff))
    assert _queue_queries(client, 1) == _queue_queries(client, 30)


def test_staff_carry_out_a_request_from_the_admin_after_confirming(
    client, wahyuni, staff, samarinda_request
):
    request = services.request_deletion(actor=wahyuni.user)
    client.force_login(with_totp(staff))
    chosen = {"action": "carry_out", "_selected_action": [request.pk]}
    response = client.post(CHANGELIST, chosen)
    assert response.status_code == 200  # the confirmation page
    assert WAHYUNI["full_name"] in response.text
    assert CadreProfile.objects.get(pk=wahyuni.pk).full_name == WAHYUNI["full_name"]

    response = client.post(CHANGELIST, {**chosen, "confirm": "yes", "note": ""})
    assert response.status_code == 302
    assert CadreProfile.objects.get(pk=wahyuni.pk).full_name == services.ANONYMISED_NAME
    request.refresh_from_db()
    assert (request.status, request.handled_by) == (DeletionRequest.Status.DONE, staff)


def test_staff_decline_from_the_admin_only_with_a_reason(client, wahyuni, staff):
    request = services.request_deletion(actor=wahyuni.user)
    client.force_login(with_totp(staff))
    chosen = {"action": "decline", "_selected_action": [request.pk], "confirm": "yes"}
    response = client.post(CHANGELIST, {**chosen, "note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert DeletionRequest.objects.get().status == DeletionRequest.Status.OPEN
    response = client.post(CHANGELIST, {**chosen, "note": "Masih ada usulan berjalan"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.note) == (
        DeletionRequest.Status.DECLINED,
        "Masih ada usulan berjalan",
    )


def test_staff_cannot_add_or_edit_requests_in_the_admin(client, wahyuni, staff):
    request = services.request_deletion(actor=wahyuni.user, reason="Alasan asli")
    client.force_login(with_totp(staff))
    assert client.get(CHANGELIST + "add/").status_code == 403
    url = reverse("admin:cadres_deletionrequest_change", args=[request.pk])
    client.post(url, {"reason": "Diubah", "status": "done"})
    request.refresh_from_db()
    assert (request.reason, request.status) == ("Alasan asli", DeletionRequest.Status.OPEN)


# --- Concurrency --------------------------------------------------------------------------


@require_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_staff_carrying_out_one_request_at_once_anonymise_once(bontang, monkeypatch):
    first, second = make_persona(Role.DINAS_STAFF, "64"), make_persona(Role.DINAS_STAFF, "64.74")
    profile = make_profile()
    request = services.request_deletion(actor=profile.user)
    anonymise = services._anonymise

    def slow_anonymise(actor, user):
        time.sleep(0.3)  # both would anonymise here if the request row were not locked
        anonymise(actor, user)

    monkeypatch.setattr(services, "_anonymise", slow_anonymise)
    outcomes = done_or_refused(
        lambda: services.carry_out_deletion(actor=first, request=request),
        lambda: services.carry_out_deletion(actor=second, request=request),
    )
    assert outcomes == ["done", "refused"]
    assert profile.events.filter(after=Status.INACTIVE).count() == 1


@require_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_deletion_requests_sent_at_once_make_one(bontang):
    profile = make_profile()
    outcomes = done_or_refused(
        lambda: services.request_deletion(actor=profile.user, reason="satu"),
        lambda: services.request_deletion(actor=profile.user, reason="dua"),
    )
    assert outcomes == ["done", "refused"]
    assert DeletionRequest.objects.filter(user=profile.user).count() == 1
