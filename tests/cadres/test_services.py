from datetime import date

import pytest
from django.core import mail
from django.utils import timezone, translation

from cadres import services
from cadres.consent import CONSENT_VERSION
from cadres.models import CadreEvent, CadreProfile, ConsentRecord
from forkom.accounts.models import Position, Role, RoleAssignment
from forkom.errors import DomainError
from tests.cadres.factories import make_nik, make_profile, profile_details
from tests.concurrency import run_at_once
from tests.conftest import make_persona, make_user

Status = CadreProfile.Status


def test_a_cadre_who_agreed_registers_and_waits_for_verification(bontang):
    profile = make_profile()
    assert profile.status == Status.WAITING
    assert profile.phone == "+6281234567890"
    assert profile.registered_by is None
    assert [m.body.name for m in profile.memberships.all()] == ["Posyandu"]
    event = profile.events.get()
    assert (event.actor, event.before, event.after) == (profile.user, "", Status.WAITING)


def test_no_personal_data_is_stored_before_the_cadre_agrees(bontang):
    user = make_user()
    with pytest.raises(DomainError):
        services.register_profile(actor=user, user=user, **profile_details())
    assert not CadreProfile.objects.exists()


def test_agreeing_to_an_older_text_does_not_count(bontang):
    user = make_user()
    ConsentRecord.objects.create(user=user, version="2025-00", agreed_at=timezone.now())
    with pytest.raises(DomainError):
        services.register_profile(actor=user, user=user, **profile_details())


def test_a_second_registration_with_the_same_nik_waits_for_the_officers_to_check_it(
    bontang, kelurahan_officer
):
    """Refusing would tell anyone whether a NIK is registered: the registration is saved like
    any other, without the NIK, and the officers of the kelurahan check the KTP."""
    first = make_profile(full_name="Budi Santoso")
    second = make_profile(nik=first.nik)
    assert second.status == Status.WAITING
    assert second.nik is None
    assert second.nik_review.nik == first.nik
    first.refresh_from_db()
    assert first.nik == second.nik_review.nik  # the holder keeps theirs
    with translation.override("en"), pytest.raises(DomainError, match="already registered"):
        services.verify_cadre(actor=kelurahan_officer, profile=second)

    # The cadre had mistyped it: a correction to a free NIK settles it.
    free_nik = make_nik()
    details = profile_details(nik=free_nik)
    services.update_profile(actor=second.user, profile=second, **details)
    second = CadreProfile.objects.get(pk=second.pk)
    assert second.nik == free_nik
    assert second.nik_review is None
    assert services.verify_cadre(actor=kelurahan_officer, profile=second).status == Status.VERIFIED


def test_a_person_under_17_cannot_register(bontang):
    today = timezone.localdate()
    birth_date = date(today.year - 17, today.month, today.day)
    assert make_profile(birth_date=birth_date).status == Status.WAITING
    too_young = date(today.year - 16, 1, 1)
    with pytest.raises(DomainError):
        make_profile(birth_date=too_young)


def test_a_malformed_nik_or_phone_is_refused(bontang):
    with pytest.raises(DomainError, match="13-16"):
        make_profile(nik="6474031508900000")
    with pytest.raises(DomainError):
        make_profile(phone="021-555-1234")
    assert not CadreProfile.objects.exists()


def test_an_officer_registers_a_cadre_without_an_email(kelurahan_officer):
    profile = services.register_assisted(actor=kelurahan_officer, **profile_details())
    assert profile.registered_by == kelurahan_officer
    assert profile.user.email is None
    assert not profile.user.has_usable_password()
    consent = profile.user.consents.get()
    assert (consent.version, consent.recorded_by) == (CONSENT_VERSION, kelurahan_officer)


def test_an_officer_cannot_register_a_cadre_outside_their_area(outsider):
    with pytest.raises(DomainError):
        services.register_assisted(actor=outsider, **profile_details())
    assert not CadreProfile.objects.exists()


def test_the_kelurahan_officer_verifies_and_the_cadre_is_emailed(
    kelurahan_officer, django_capture_on_commit_callbacks
):
    profile = make_profile()
    with django_capture_on_commit_callbacks(execute=True):
        services.verify_cadre(actor=kelurahan_officer, profile=profile, note="OK")
    profile.refresh_from_db()
    assert profile.status == Status.VERIFIED
    event = profile.events.last()
    assert (event.actor, event.before, event.after, event.note) == (
        kelurahan_officer,
        Status.WAITING,
        Status.VERIFIED,
        "OK",
    )
    assert (
        RoleAssignment.objects.current()
        .filter(user=profile.user, role=Role.CADRE, region_id="64.74.03.1001")
        .exists()
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [profile.user.email]
    assert profile.nik not in mail.outbox[0].body


def test_kecamatan_officers_verify_where_the_kelurahan_has_no_ketua_yet(kecamatan_officer):
    profile = make_profile(kelurahan="64.74.03.1003")
    services.verify_cadre(actor=kecamatan_officer, profile=profile)
    assert CadreProfile.objects.get(pk=profile.pk).status == Status.VERIFIED


def test_kecamatan_officers_leave_it_to_a_kelurahan_with_a_formed_forum(
    kecamatan_officer, formed_belimbing_forum
):
    profile = make_profile(kelurahan="64.74.03.1001")
    with pytest.raises(DomainError):
        services.verify_cadre(actor=kecamatan_officer, profile=profile)
    assert CadreProfile.objects.get(pk=profile.pk).status == Status.WAITING


def test_a_ketua_without_an_sk_is_not_yet_a_formed_forum(kecamatan_officer, kelurahan_officer):
    profile = make_profile(kelurahan="64.74.03.1001")
    services.verify_cadre(actor=kecamatan_officer, profile=profile)
    assert CadreProfile.objects.get(pk=profile.pk).status == Status.VERIFIED


def test_a_kelurahan_secretary_verifies_too(bontang):
    secretary = make_persona(Role.FORUM_OFFICER, "64.74.03.1001", Position.SEKRETARIS)
    profile = make_profile()
    services.verify_cadre(actor=secretary, profile=profile)


@pytest.mark.parametrize("persona", ["outsider", "coordinator", "cadre"])
def test_others_may_not_verify(persona, request, bontang):
    actor = request.getfixturevalue(persona)
    profile = make_profile(kelurahan="64.74.03.1003")
    with pytest.raises(DomainError):
        services.verify_cadre(actor=actor, profile=profile)
    assert profile.events.count() == 1


def test_dinas_staff_of_the_area_may_verify(staff):
    services.verify_cadre(actor=staff, profile=make_profile())


def test_a_cadre_is_verified_only_once(kelurahan_officer):
    profile = make_profile()
    services.verify_cadre(actor=kelurahan_officer, profile=profile)
    with pytest.raises(DomainError):
        services.verify_cadre(actor=kelurahan_officer, profile=profile)
    with pytest.raises(DomainError):
        services.reject_cadre(actor=kelurahan_officer, profile=profile, reason="Salah")


def test_a_rejection_needs_a_reason_that_the_cadre_reads(
    kelurahan_officer, django_capture_on_commit_callbacks
):
    profile = make_profile()
    with pytest.raises(DomainError):
        services.reject_cadre(actor=kelurahan_officer, profile=profile, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_cadre(
            actor=kelurahan_officer, profile=profile, reason="Tidak berdomisili di Belimbing"
        )
    profile.refresh_from_db()
    assert (profile.status, profile.rejection_reason) == (
        Status.REJECTED,
        "Tidak berdomisili di Belimbing",
    )
    assert "Tidak berdomisili di Belimbing" in mail.outbox[0].body


def test_deactivating_a_verified_cadre_ends_their_cadre_role(kelurahan_officer):
    profile = make_profile()
    services.verify_cadre(actor=kelurahan_officer, profile=profile)
    services.deactivate_cadre(actor=profile.user, profile=profile, note="Pindah")
    assert CadreProfile.objects.get(pk=profile.pk).status == Status.INACTIVE
    assert not RoleAssignment.objects.current().filter(user=profile.user, role=Role.CADRE)
    with pytest.raises(DomainError):
        services.deactivate_cadre(actor=kelurahan_officer, profile=profile)


def test_no_email_is_sent_when_the_transaction_rolls_back(
    kelurahan_officer, django_capture_on_commit_callbacks
):
    profile = make_profile()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.verify_cadre(actor=kelurahan_officer, profile=profile)
    assert len(callbacks) == 1
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_officers_verifying_at_once_record_one_event(bontang):
    first = make_persona(Role.FORUM_OFFICER, "64.74.03.1001", Position.KETUA)
    second = make_persona(Role.FORUM_OFFICER, "64.74.03.1001", Position.SEKRETARIS)
    profile = make_profile(nik=make_nik())

    def verify(officer):
        try:
            services.verify_cadre(actor=officer, profile=profile)
        except DomainError:
            return "refused"
        return "verified"

    outcomes = run_at_once(lambda: verify(first), lambda: verify(second))
    assert sorted(outcomes) == ["refused", "verified"]
    assert CadreEvent.objects.filter(profile=profile, after=Status.VERIFIED).count() == 1
