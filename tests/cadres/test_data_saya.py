""" "Data saya": a cadre downloads, corrects, withdraws consent and asks for deletion."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cadres import exports, services
from cadres.models import (
    Body,
    CadreProfile,
    ConsentRecord,
    DeletionRequest,
    Field,
    Forum,
    ForumMember,
    Topic,
)
from forkom.accounts.models import Role, RoleAssignment, User
from forkom.errors import DomainError
from forkom.territory.models import Region
from programs import services as programs
from programs.innovations import services as innovation_services
from tests.cadres.factories import make_nik, make_profile, profile_details
from tests.conftest import make_user, picture
from tests.programs.factories import make_proposal, make_verified_profile
from tests.trainings.factories import make_training
from trainings import services as trainings

Status = CadreProfile.Status
PDF = b"%PDF-1.4\n%%EOF\n"
PNG = picture("PNG")


def edit_form(profile, **overrides):
    """The edit form as the browser posts it, unchanged unless overridden."""
    form = {
        "full_name": profile.full_name,
        "nik": profile.nik,
        "sex": profile.sex,
        "birth_place": profile.birth_place,
        "birth_date": profile.birth_date.isoformat(),
        "phone": profile.phone_display,
        "address": profile.address,
        "kelurahan": profile.kelurahan_id,
        "education": profile.education,
        "skills": profile.skills,
    }
    for membership in profile.memberships.all():
        form[f"body_{membership.body_id}"] = "on"
        form[f"body_{membership.body_id}_position"] = membership.position
        form[f"body_{membership.body_id}_since"] = membership.since_year or ""
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


@pytest.fixture(autouse=True)
def _media_in_tmp(media_in_tmp):
    """Uploads of this module's tests go to their own folder."""


@pytest.fixture
def signed_in_cadre(client, bontang):
    profile = make_profile()
    client.force_login(profile.user)
    return profile


# --- Download -----------------------------------------------------------------------------


def test_the_download_holds_everything_stored_about_the_cadre(client, kelurahan_officer, bontang):
    profile = make_profile(full_name="Wahyuni Lestari", skills="Menjahit")
    profile.fields.add(Field.objects.get(name="Ekonomi kreatif/UMKM"))
    profile.training_needs.add(Topic.objects.first())
    services.verify_cadre(actor=kelurahan_officer, profile=profile, note="Dikenal")
    forum = Forum.objects.create(region_id="64.74.03.1001")
    ForumMember.objects.create(forum=forum, profile=profile)
    client.force_login(profile.user)

    response = client.get(reverse("cadres:download"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == profile.user.email
    assert data["email_addresses"] == [
        {"email": profile.user.email, "verified": True, "primary": True}
    ]
    assert data["profile"]["nik"] == profile.nik  # their own data, in full
    assert data["profile"]["phone"] == "+6281234567890"
    assert data["profile"]["status"] == "verified"
    assert data["memberships"] == [{"body": "Posyandu", "position": "Kader", "since_year": 2019}]
    assert data["fields_of_work"] == ["Ekonomi kreatif/UMKM"]
    assert len(data["training_needs"]) == 1
    assert [consent["withdrawn_at"] for consent in data["consents"]] == [None]
    assert [(event["to"], event["by_you"]) for event in data["events"]] == [
        ("waiting", True),
        ("verified", False),
    ]
    assert [role["role"] for role in data["role_assignments"]] == [Role.CADRE]
    assert [member["forum_name"] for member in data["forum_memberships"]] == ["Belimbing"]


def test_the_download_names_no_other_person(client, kelurahan_officer, bontang):
    kelurahan_officer.first_name = "Pak Ketua"
    kelurahan_officer.save()
    profile = services.register_assisted(actor=kelurahan_officer, **profile_details())
    services.verify_cadre(actor=kelurahan_officer, profile=profile)
    neighbour = make_profile(full_name="Tetangga Sebelah")
    profile.user.email = "assisted@test.forkom.id"
    profile.user.save()
    client.force_login(profile.user)

    text = client.get(reverse("cadres:download")).content.decode()

    data = json.loads(text)
    assert data["profile"]["registered_by_an_officer"] is True
    assert data["consents"][0]["recorded_by_an_officer"] is True
    for trace in (kelurahan_officer.email, "Pak Ketua", neighbour.full_name, neighbour.nik):
        assert trace not in text


def record_innovation(user, title, cadres):
    return innovation_services.record_innovation(
        actor=user,
        title=title,
        description="Ibu-ibu mengolah rumput laut menjadi dodol.",
        kelurahan=Region.objects.get(code="64.74.03.1001"),
        results="300 bungkus per bulan.",
        impact="20 keluarga mendapat tambahan penghasilan.",
        cadres=cadres,
    )


def attend_a_finished_training(profile, staff, title):
    starts = timezone.now() - timedelta(days=10)
    training = make_training(
        title=title,
        starts_at=starts,
        registration_opens_at=starts - timedelta(days=20),
        registration_closes_at=starts - timedelta(days=1),
    )
    registration = trainings.sign_up(
        actor=profile.user, training=training, profile=profile, now=starts - timedelta(days=5)
    )
    trainings.mark_attendance(actor=staff, training=training, attended=[registration], now=starts)
    trainings.finish(actor=staff, training=training, now=starts + timedelta(hours=8))
    registration.refresh_from_db()
    return registration


def give_a_history(me, other, officer, staff, rows=1, waitlist=True):
    """Per row: a proposal of `me` with a file, submitted and returned by the officer, who
    comments on it; a proposal of `other` with `me` on its team, where both comment; an
    innovation `me` recorded (with a photo, `other` behind it) and one `other` recorded with
    `me` behind it; a finished training `me` attended. Then a place on a waitlist."""
    for number in range(1, rows + 1):
        own = make_proposal(me.user, title=f"Usulan {number}")
        programs.attach_file(
            actor=me.user, proposal=own, upload=SimpleUploadedFile(f"RAB {number}.pdf", PDF)
        )
        own = programs.submit_proposal(actor=me.user, proposal=own, note="Mohon ditinjau.")
        own = programs.return_proposal(actor=officer, proposal=own, note="Lengkapi RAB (Camat).")
        programs.add_comment(actor=officer, proposal=own, body="Catatan dari Pak Camat")
        team = make_proposal(other.user, title=f"Usulan tim {number}", team=[me])
        programs.submit_proposal(actor=other.user, proposal=team, note="Catatan Rudi")
        programs.add_comment(actor=me.user, proposal=team, body=f"Komentar saya {number}")
        programs.add_comment(actor=other.user, proposal=team, body="Komentar Rudi sendiri")
        innovation = record_innovation(me.user, f"Inovasi {number}", cadres=[other])
        innovation_services.attach_photo(
            actor=me.user,
            innovation=innovation,
            upload=SimpleUploadedFile("foto.png", PNG),
            caption="Proses pengemasan",
        )
        record_innovation(other.user, f"Inovasi Rudi {number}", cadres=[me])
        attend_a_finished_training(me, staff, f"Pelatihan {number}")
    if not waitlist:
        return
    full = make_training(title="Pemasaran digital", capacity=1)
    trainings.sign_up(actor=other.user, training=full, profile=other)
    trainings.sign_up(actor=me.user, training=full, profile=me)


@pytest.fixture
def history(kecamatan_officer, staff):
    """Wahyuni (me) and Rudi (other), verified cadres of Bontang Barat, with a history."""
    kecamatan_officer.first_name = "Pak Camat"
    kecamatan_officer.save()
    me = make_verified_profile(make_user(), full_name="Wahyuni Lestari")
    other = make_verified_profile(
        make_user(), kelurahan="64.74.03.1003", full_name="Rudi Hartono", phone="0813-9999-8888"
    )
    give_a_history(me, other, kecamatan_officer, staff)
    return me, other


def test_the_download_holds_the_cadres_proposals_discussion_innovations_and_trainings(
    client, history
):
    me, _other = history
    client.force_login(me.user)

    data = json.loads(client.get(reverse("cadres:download")).content)

    own, team = data["proposals"]
    assert (own["title"], own["your_role"], own["state"]) == ("Usulan 1", "proposer", "returned")
    assert own["returned_from"] == "submitted"
    assert own["location"] == {"code": "64.74.03.1002", "name": "Gunung Telihan"}
    assert (own["budget"], own["starts_on"]) == (12_500_000, "2027-02-01")
    assert own["problem"] == "Harga rumput laut basah rendah."
    assert [aid["kind"] for aid in own["aids"]] == ["training", "mentoring"]
    assert (team["title"], team["your_role"], team["state"]) == (
        "Usulan tim 1",
        "team_member",
        "submitted",
    )
    assert "summary" not in team
    assert "budget" not in team
    assert [
        (event["proposal_title"], event["from"], event["to"], event["by_you"], event["note"])
        for event in data["proposal_events"]
    ] == [
        ("Usulan 1", "", "draft", True, ""),
        ("Usulan 1", "draft", "submitted", True, "Mohon ditinjau."),
        ("Usulan 1", "submitted", "returned", False, None),
        ("Usulan tim 1", "", "draft", False, None),
        ("Usulan tim 1", "draft", "submitted", False, None),
    ]
    assert [(comment["proposal_title"], comment["body"]) for comment in data["comments"]] == [
        ("Usulan tim 1", "Komentar saya 1")
    ]
    (attachment,) = data["attachments"]
    assert (attachment["proposal"], attachment["proposal_title"]) == (own["public_id"], "Usulan 1")
    assert (attachment["original_name"], attachment["content_type"]) == (
        "RAB 1.pdf",
        "application/pdf",
    )
    assert attachment["size_bytes"] == len(PDF)
    assert attachment["uploaded_at"]
    recorded, behind = data["innovations"]
    assert (recorded["title"], recorded["your_role"], recorded["state"]) == (
        "Inovasi 1",
        "recorder",
        "recorded",
    )
    assert recorded["impact"] == "20 keluarga mendapat tambahan penghasilan."
    (photo,) = recorded["photos"]
    assert (photo["caption"], photo["content_type"], photo["size_bytes"]) == (
        "Proses pengemasan",
        "image/png",
        len(PNG),
    )
    assert (behind["title"], behind["your_role"]) == ("Inovasi Rudi 1", "cadre_behind_it")
    assert "photos" not in behind
    assert "description" not in behind
    attended, waiting = data["training_registrations"]
    certificate_code = me.training_registrations.get(attended=True).certificate_code
    assert (attended["training"]["title"], attended["training"]["state"]) == (
        "Pelatihan 1",
        "finished",
    )
    assert attended["training"]["starts_at"]
    assert attended["training"]["ends_at"]
    assert (attended["status"], attended["attended"], attended["certificate_code"]) == (
        "registered",
        True,
        certificate_code,
    )
    assert (waiting["training"]["title"], waiting["status"], waiting["attended"]) == (
        "Pemasaran digital",
        "waitlisted",
        False,
    )
    assert waiting["certificate_code"] is None  # a code that certifies nothing is not handed out
    assert [event["kind"] for event in waiting["events"]] == ["waitlisted"]


def test_other_peoples_data_notes_and_comments_stay_out_of_the_download(client, history):
    me, other = history
    client.force_login(me.user)

    text = client.get(reverse("cadres:download")).content.decode()

    # What they share with Rudi is there: his proposal, her comment, his innovation...
    for shared in ("Usulan tim 1", "Komentar saya 1", "Inovasi Rudi 1", "Inovasi 1"):
        assert shared in text
    # ...but nothing of Rudi himself, nor the officer's name, notes or comments.
    for trace in (
        other.full_name,
        other.nik,
        other.phone,
        # As he typed it, and without its dashes. Not "0813" alone: the download's public
        # ids are random hexadecimal, and one held those four digits in a run of `make test`.
        "0813-9999-8888",
        "081399998888",
        other.user.email,
        "Pak Camat",
        "Catatan Rudi",
        "Komentar Rudi sendiri",
    ):
        assert trace not in text
    assert other.training_registrations.get().certificate_code not in text


def test_an_officer_downloads_the_comments_and_moves_they_made_without_the_cadres_data(
    client, history, kecamatan_officer
):
    me, _other = history
    client.force_login(kecamatan_officer)

    text = client.get(reverse("cadres:download")).content.decode()

    data = json.loads(text)
    assert data["profile"] is None
    assert "proposals" not in data
    assert [(comment["proposal_title"], comment["body"]) for comment in data["comments"]] == [
        ("Usulan 1", "Catatan dari Pak Camat")
    ]
    assert [
        (event["proposal_title"], event["to"], event["by_you"], event["note"])
        for event in data["proposal_events"]
    ] == [("Usulan 1", "returned", True, "Lengkapi RAB (Camat).")]
    assert data["attachments"] == []
    for trace in (me.full_name, me.nik, me.phone, "Komentar saya", "Mohon ditinjau."):
        assert trace not in text


@pytest.mark.parametrize("rows", [1, 4])
def test_the_download_costs_the_same_queries_however_much_is_stored(
    history, kecamatan_officer, staff, django_assert_num_queries, rows
):
    me, other = history
    if rows > 1:
        give_a_history(me, other, kecamatan_officer, staff, rows=rows - 1, waitlist=False)
    user = User.objects.get(pk=me.user_id)
    # profile, email addresses, consents, roles, forum events, deletion requests, proposal
    # events, comments, attachments, bodies, fields, training needs, profile events, forum
    # memberships, staff views, proposals, their aids, innovations, their photos,
    # registrations, their events, activation codes, notifications, email preferences
    # Three of them read the ids of the cadre's proposals first (one index read each), so that
    # the events and proposals are read by id (1.26 s → 0.04 s on the national seed).
    with django_assert_num_queries(31):
        data = exports.personal_data(user)
    assert len(data["proposals"]) == 2 * rows
    assert len(data["comments"]) == rows
    assert len(data["attachments"]) == rows
    assert len(data["innovations"]) == 2 * rows
    assert len(data["training_registrations"]) == 1 + rows


def test_a_signed_in_person_without_a_profile_downloads_their_account(client, bontang):
    user = make_user("tanpa.profil@test.forkom.id")
    client.force_login(user)
    data = json.loads(client.get(reverse("cadres:download")).content)
    assert data["profile"] is None
    assert data["account"]["email"] == "tanpa.profil@test.forkom.id"


def test_data_saya_needs_a_sign_in(client, db):
    for name in ("cadres:my_data", "cadres:download", "cadres:edit"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- Correct ------------------------------------------------------------------------------


def test_the_edit_form_is_filled_in_with_the_stored_profile(client, signed_in_cadre):
    response = client.get(reverse("cadres:edit"))
    assert response.status_code == 200
    assert f'value="{signed_in_cadre.nik}"' in response.text
    assert 'value="0812-3456-7890"' in response.text
    assert '<option value="64.74.03.1001" selected>' in response.text


def test_a_cadre_corrects_their_phone_and_an_event_names_what_changed_not_the_value(
    client, signed_in_cadre
):
    response = client.post(
        reverse("cadres:edit"), edit_form(signed_in_cadre, phone="+62 813-1111-2222")
    )
    assert response.status_code == 302
    profile = CadreProfile.objects.get(pk=signed_in_cadre.pk)
    assert profile.phone == "+6281311112222"
    event = profile.events.last()
    assert (event.actor, event.before, event.after) == (
        profile.user,
        Status.WAITING,
        Status.WAITING,
    )
    assert "mobile" in event.note.lower() or "hp" in event.note.lower()
    assert "1111" not in event.note


def test_the_phone_and_nik_are_checked_as_at_registration(client, signed_in_cadre):
    response = client.post(reverse("cadres:edit"), edit_form(signed_in_cadre, phone="021-555"))
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors
    response = client.post(
        reverse("cadres:edit"), edit_form(signed_in_cadre, nik="6474031508900000")
    )
    assert response.status_code == 400
    assert "13-16" in " ".join(response.context["form"].errors["nik"])
    assert CadreProfile.objects.get(pk=signed_in_cadre.pk).phone == "+6281234567890"
    assert signed_in_cadre.events.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("address", "x" * 501),
        ("skills", "x" * 2001),
        ("fields", "9" * 30),
        ("training_needs", "9" * 30),
        ("birth_date", "0001-01-01"),
    ],
)
def test_bad_input_on_the_edit_form_is_a_field_error_and_changes_nothing(
    client, signed_in_cadre, field, value
):
    response = client.post(
        reverse("cadres:edit"), edit_form(signed_in_cadre, confirm_nik="on", **{field: value})
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    stored = CadreProfile.objects.get(pk=signed_in_cadre.pk)
    assert (stored.address, stored.skills, stored.birth_date) == (
        signed_in_cadre.address,
        signed_in_cadre.skills,
        signed_in_cadre.birth_date,
    )
    assert signed_in_cadre.events.count() == 1


def test_a_changed_nik_asks_again_to_confirm_its_warnings(client, signed_in_cadre):
    female_nik = make_nik(sex="P")  # the form still says male
    form = edit_form(signed_in_cadre, nik=female_nik)
    response = client.post(reverse("cadres:edit"), form)
    assert response.status_code == 400
    assert response.context["form"].nik_warnings
    response = client.post(reverse("cadres:edit"), {**form, "confirm_nik": "on"})
    assert response.status_code == 302
    assert CadreProfile.objects.get(pk=signed_in_cadre.pk).nik == female_nik


def test_an_unchanged_nik_is_not_confirmed_again(client, bontang):
    # Registered with a warning (the NIK says female), confirmed then.
    profile = make_profile(nik=make_nik(sex="P"), sex="L")
    client.force_login(profile.user)
    response = client.post(reverse("cadres:edit"), edit_form(profile, skills="Menjahit"))
    assert response.status_code == 302
    assert CadreProfile.objects.get(pk=profile.pk).skills == "Menjahit"


def test_a_nik_held_by_someone_else_is_checked_by_the_officers_without_saying_whose(
    client, signed_in_cadre
):
    other = make_profile(full_name="Budi Santoso")
    free = make_profile()
    # The answer is the same whether another profile holds the NIK or not.
    answers = []
    for nik in (other.nik, make_nik()):
        client.force_login(signed_in_cadre.user)
        response = client.post(reverse("cadres:edit"), edit_form(signed_in_cadre, nik=nik))
        answers.append((response.status_code, response["Location"]))
        signed_in_cadre.refresh_from_db()
    assert answers[0] == answers[1]
    assert free.nik not in {answer[1] for answer in answers}

    client.post(reverse("cadres:edit"), edit_form(signed_in_cadre, nik=other.nik))
    profile = CadreProfile.objects.get(pk=signed_in_cadre.pk)
    assert profile.nik is None
    assert profile.nik_review.nik == other.nik
    assert CadreProfile.objects.get(pk=other.pk).nik == other.nik
    response = client.get(reverse("cadres:mine"))
    assert other.nik in response.text  # what they typed, to be checked
    assert "Budi" not in response.text


def test_a_verified_cadre_who_moves_waits_for_the_new_kelurahan_to_verify(
    client, kelurahan_officer
):
    profile = make_profile()
    services.verify_cadre(actor=kelurahan_officer, profile=profile)
    client.force_login(profile.user)
    response = client.post(reverse("cadres:edit"), edit_form(profile, kelurahan="64.74.03.1003"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.status, profile.kelurahan_id) == (Status.WAITING, "64.74.03.1003")
    assert not RoleAssignment.objects.current().filter(user=profile.user, role=Role.CADRE)
    assert profile.events.last().before == Status.VERIFIED


def test_a_verified_cadre_who_corrects_the_address_stays_verified(client, kelurahan_officer):
    profile = make_profile()
    services.verify_cadre(actor=kelurahan_officer, profile=profile)
    client.force_login(profile.user)
    client.post(reverse("cadres:edit"), edit_form(profile, address="Jl. Baru No. 2"))
    profile.refresh_from_db()
    assert (profile.status, profile.address) == (Status.VERIFIED, "Jl. Baru No. 2")
    assert RoleAssignment.objects.current().filter(user=profile.user, role=Role.CADRE).exists()


def test_saving_without_a_change_records_nothing(client, signed_in_cadre):
    response = client.post(reverse("cadres:edit"), edit_form(signed_in_cadre), follow=True)
    assert response.status_code == 200
    assert signed_in_cadre.events.count() == 1


def test_bodies_fields_and_needs_are_corrected_and_retired_entries_kept(client, bontang):
    retired_body = Body.objects.create(name="Badan lama", is_active=False)
    retired_field = Field.objects.create(name="Bidang lama", is_active=False)
    pkk = Body.objects.get(name="PKK")
    umkm = Field.objects.get(name="Ekonomi kreatif/UMKM")
    profile = make_profile(
        memberships=[
            (Body.objects.get(name="Posyandu"), "Kader", 2019),
            (retired_body, "Anggota", 2001),
        ],
        fields=[retired_field],
    )
    client.force_login(profile.user)
    form = edit_form(profile, **{f"body_{pkk.pk}": "on", f"body_{pkk.pk}_position": "Ketua"})
    form.update({"fields": [umkm.pk]})
    assert client.post(reverse("cadres:edit"), form).status_code == 302
    assert set(profile.memberships.values_list("body__name", "position")) == {
        ("Posyandu", "Kader"),
        ("PKK", "Ketua"),
        ("Badan lama", "Anggota"),
    }
    assert set(profile.fields.values_list("name", flat=True)) == {"Bidang lama", umkm.name}


@pytest.mark.parametrize("status", [Status.REJECTED, Status.INACTIVE])
def test_a_rejected_or_inactive_profile_is_not_corrected(client, bontang, status):
    profile = make_profile()
    CadreProfile.objects.filter(pk=profile.pk).update(status=status)
    client.force_login(profile.user)
    assert client.get(reverse("cadres:edit")).status_code == 409
    response = client.post(reverse("cadres:edit"), edit_form(profile, full_name="Nama Baru"))
    assert response.status_code == 409
    assert CadreProfile.objects.get(pk=profile.pk).full_name == profile.full_name


def test_only_the_cadre_corrects_their_profile(kelurahan_officer):
    profile = make_profile()
    details = profile_details(nik=profile.nik, full_name="Nama Lain")
    with pytest.raises(DomainError):
        services.update_profile(actor=kelurahan_officer, profile=profile, **details)
    assert CadreProfile.objects.get(pk=profile.pk).full_name == profile.full_name


# --- Withdraw consent ---------------------------------------------------------------------


def test_withdrawing_consent_needs_the_box_ticked_and_changes_nothing_otherwise(
    client, signed_in_cadre
):
    response = client.post(reverse("cadres:withdraw_consent"))
    assert response.status_code == 400
    assert ConsentRecord.objects.get(user=signed_in_cadre.user).withdrawn_at is None


def test_withdrawing_consent_makes_the_profile_inactive_and_says_what_that_means(
    client, kelurahan_officer, django_capture_on_commit_callbacks
):
    profile = make_profile()
    services.verify_cadre(actor=kelurahan_officer, profile=profile)
    client.force_login(profile.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cadres:withdraw_consent"), {"confirm": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cadres:my_data")
    assert "inactive" in response.text or "nonaktif" in response.text
    assert ConsentRecord.objects.get(user=profile.user).withdrawn_at is not None
    profile.refresh_from_db()
    assert profile.status == Status.INACTIVE
    assert profile.events.last().actor == profile.user
    assert not RoleAssignment.objects.current().filter(user=profile.user, role=Role.CADRE)
    assert mail.outbox[-1].to == [profile.user.email]
    # What is stored stays visible without a consent; correcting it needs one again.
    assert client.get(reverse("cadres:my_data")).status_code == 200
    response = client.get(reverse("cadres:mine"))
    assert response.status_code == 200
    assert profile.nik in response.text
    assert client.get(reverse("cadres:edit")).status_code == 409  # inactive now
    assert not client.get(reverse("cadres:consent")).context["asked_again"]


def test_a_cadre_who_has_not_agreed_to_a_new_text_agrees_before_correcting(
    client, signed_in_cadre
):
    ConsentRecord.objects.filter(user=signed_in_cadre.user).update(version="2025-00")
    assert client.get(reverse("cadres:edit"))["Location"] == reverse("cadres:consent")
    response = client.post(reverse("cadres:edit"), edit_form(signed_in_cadre, skills="X"))
    assert response["Location"] == reverse("cadres:consent")
    assert CadreProfile.objects.get(pk=signed_in_cadre.pk).skills == ""


def test_a_consent_to_an_earlier_text_can_be_withdrawn_too(client, signed_in_cadre):
    ConsentRecord.objects.filter(user=signed_in_cadre.user).update(version="2025-00")
    assert reverse("cadres:withdraw_consent") in client.get(reverse("cadres:my_data")).text
    client.post(reverse("cadres:withdraw_consent"), {"confirm": "on"})
    assert ConsentRecord.objects.get(user=signed_in_cadre.user).withdrawn_at is not None
    assert reverse("cadres:withdraw_consent") not in client.get(reverse("cadres:my_data")).text


def test_consent_is_withdrawn_once(client, signed_in_cadre):
    client.post(reverse("cadres:withdraw_consent"), {"confirm": "on"})
    response = client.post(reverse("cadres:withdraw_consent"), {"confirm": "on"})
    assert response.status_code == 409
    assert signed_in_cadre.events.filter(after=Status.INACTIVE).count() == 1


def test_data_saya_actions_are_post_only(client, signed_in_cadre):
    for name in ("cadres:withdraw_consent", "cadres:request_deletion"):
        assert client.get(reverse(name)).status_code == 405


# --- Ask for deletion ---------------------------------------------------------------------


def test_a_cadre_asks_for_deletion_once(client, signed_in_cadre):
    response = client.post(reverse("cadres:request_deletion"), {"reason": "Pindah ke Jawa"})
    assert response.status_code == 302
    deletion = DeletionRequest.objects.get()
    assert (deletion.user, deletion.kelurahan_id, deletion.reason, deletion.status) == (
        signed_in_cadre.user,
        "64.74.03.1001",
        "Pindah ke Jawa",
        DeletionRequest.Status.OPEN,
    )
    response = client.post(reverse("cadres:request_deletion"), {"reason": "Lagi"})
    assert response.status_code == 409
    assert DeletionRequest.objects.count() == 1


def test_the_page_shows_the_open_request_instead_of_the_form(client, signed_in_cadre):
    services.request_deletion(actor=signed_in_cadre.user)
    response = client.get(reverse("cadres:my_data"))
    assert response.context["open_request"] is not None
    assert reverse("cadres:request_deletion") not in response.text


def test_without_a_profile_there_is_nothing_to_delete(db):
    with pytest.raises(DomainError):
        services.request_deletion(actor=make_user())
    assert not DeletionRequest.objects.exists()


def test_a_cadre_without_email_is_not_promised_an_email(client, signed_in_cadre):
    """A cadre who signs in with a phone number and a code has no email address, and was
    told "Anda akan menerima email" (found by a walk through the demo site)."""
    user = signed_in_cadre.user
    User.objects.filter(pk=user.pk).update(email="")
    response = client.post(reverse("cadres:request_deletion"), {"reason": ""}, follow=True)
    assert response.status_code == 200
    assert "email" not in " ".join(str(message) for message in response.context["messages"])
    page = client.get(reverse("cadres:my_data")).text
    assert "jawabannya ada di notifikasi Anda" in page
    assert "Anda akan menerima email" not in page
