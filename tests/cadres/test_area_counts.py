"""The counts per kelurahan the dashboards read (AreaStatusCount, AreaBodyCount) follow every
write to profiles and memberships, through the database's triggers."""

import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from cadres import selectors, services
from cadres.models import AreaBodyCount, AreaStatusCount, Body, CadreMembership, CadreProfile
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_profile, profile_details
from tests.concurrency import cancelled_the_first_time, require_postgresql, run_at_once
from tests.conftest import make_user

Status = CadreProfile.Status
BELIMBING = "64.74.03.1001"
GUNUNG_ELAI = "64.74.03.1002"


def status_counts():
    """{(kelurahan, status): cadres} as stored, zero rows left out."""
    return {
        (row.kelurahan_id, row.status): row.cadres
        for row in AreaStatusCount.objects.exclude(cadres=0)
    }


def body_counts():
    """{(kelurahan, body name): verified cadres} as stored, zero rows left out."""
    return {
        (row.kelurahan_id, row.body.name): row.cadres
        for row in AreaBodyCount.objects.exclude(cadres=0).select_related("body")
    }


def body(name):
    return Body.objects.get(name=name)


def assert_summary_is_the_recount():
    assert selectors.area_count_mismatches() == []


def test_registering_verifying_and_rejecting_move_the_counts(kelurahan_officer):
    first = make_profile()
    second = make_profile(memberships=[(body("PKK"), "", None), (body("LPM"), "Ketua", 2020)])
    assert status_counts() == {(BELIMBING, Status.WAITING): 2}
    assert body_counts() == {}  # nobody is verified yet

    services.verify_cadre(actor=kelurahan_officer, profile=first)
    services.verify_cadre(actor=kelurahan_officer, profile=second)
    assert status_counts() == {(BELIMBING, Status.VERIFIED): 2}
    assert body_counts() == {
        (BELIMBING, "Posyandu"): 1,
        (BELIMBING, "PKK"): 1,
        (BELIMBING, "LPM"): 1,
    }

    services.deactivate_cadre(actor=kelurahan_officer, profile=second)
    third = make_profile()
    services.reject_cadre(actor=kelurahan_officer, profile=third, reason="Bukan warga")
    assert status_counts() == {
        (BELIMBING, Status.VERIFIED): 1,
        (BELIMBING, Status.INACTIVE): 1,
        (BELIMBING, Status.REJECTED): 1,
    }
    assert body_counts() == {(BELIMBING, "Posyandu"): 1}
    assert_summary_is_the_recount()


def test_changing_bodies_and_moving_kelurahan_move_the_counts(kelurahan_officer):
    profile = make_profile()
    services.verify_cadre(actor=kelurahan_officer, profile=profile)
    profile = CadreProfile.objects.get(pk=profile.pk)
    services.update_profile(
        actor=profile.user,
        profile=profile,
        **profile_details(
            nik=profile.nik, memberships=[(body("Karang Taruna"), "", None)], full_name="Siti"
        ),
    )
    profile = CadreProfile.objects.get(pk=profile.pk)
    assert profile.status == Status.VERIFIED
    assert body_counts() == {(BELIMBING, "Karang Taruna"): 1}

    # Moving to another kelurahan through the service asks for a new verification.
    services.update_profile(
        actor=profile.user,
        profile=profile,
        **profile_details(
            GUNUNG_ELAI,
            nik=profile.nik,
            memberships=[(body("Karang Taruna"), "", None)],
            full_name="Siti",
        ),
    )
    assert status_counts() == {(GUNUNG_ELAI, Status.WAITING): 1}
    assert body_counts() == {}
    services.verify_cadre(
        actor=make_user(is_superuser=True), profile=CadreProfile.objects.get(pk=profile.pk)
    )
    assert body_counts() == {(GUNUNG_ELAI, "Karang Taruna"): 1}

    # Writes that bypass save() and the services are counted as well.
    CadreProfile.objects.filter(pk=profile.pk).update(kelurahan_id=BELIMBING)
    assert status_counts() == {(BELIMBING, Status.VERIFIED): 1}
    assert body_counts() == {(BELIMBING, "Karang Taruna"): 1}
    CadreMembership.objects.filter(profile=profile).update(body=body("LPM"))
    assert body_counts() == {(BELIMBING, "LPM"): 1}
    assert_summary_is_the_recount()


def test_a_deleted_profile_takes_its_counts_whichever_row_goes_first(kelurahan_officer):
    profiles = [
        make_profile(memberships=[(body("PKK"), "", None), (body("LPM"), "", None)])
        for _ in range(3)
    ]
    for profile in profiles:
        services.verify_cadre(actor=kelurahan_officer, profile=profile)
    first, second, _kept = profiles
    first.delete()  # Django deletes the memberships first, then the profile
    with transaction.atomic(), connection.cursor() as cursor:
        # The profile first: its memberships are still there (the foreign key is checked at
        # the commit), and their delete then finds no profile to count them for.
        cursor.execute("DELETE FROM cadres_cadreevent WHERE profile_id = %s", [second.pk])
        cursor.execute("DELETE FROM cadres_cadreprofile WHERE id = %s", [second.pk])
        cursor.execute("DELETE FROM cadres_cadremembership WHERE profile_id = %s", [second.pk])
    assert status_counts() == {(BELIMBING, Status.VERIFIED): 1}
    assert body_counts() == {(BELIMBING, "PKK"): 1, (BELIMBING, "LPM"): 1}
    assert_summary_is_the_recount()


def test_carrying_out_a_deletion_counts_the_cadre_as_inactive(kelurahan_officer, staff):
    profile = make_profile()
    services.verify_cadre(actor=kelurahan_officer, profile=profile)
    request = services.request_deletion(actor=profile.user)
    services.carry_out_deletion(actor=staff, request=request)
    assert status_counts() == {(BELIMBING, Status.INACTIVE): 1}
    assert body_counts() == {}
    assert_summary_is_the_recount()


def test_the_admins_membership_inline_moves_the_counts(client, kelurahan_officer):
    profile = make_profile()
    services.verify_cadre(actor=kelurahan_officer, profile=profile)
    superuser = with_totp(make_user(is_superuser=True, is_staff=True))
    client.force_login(superuser)
    url = reverse("admin:cadres_cadreprofile_change", args=[profile.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    [membership] = profile.memberships.all()
    data |= {
        "memberships-TOTAL_FORMS": 2,
        "memberships-INITIAL_FORMS": 1,
        "memberships-0-id": membership.pk,
        "memberships-0-profile": profile.pk,
        "memberships-0-body": body("PKK").pk,
        "memberships-0-position": "Ketua",
        "memberships-1-profile": profile.pk,
        "memberships-1-body": body("RT/RW").pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert set(profile.memberships.values_list("body__name", flat=True)) == {"PKK", "RT/RW"}
    assert body_counts() == {(BELIMBING, "PKK"): 1, (BELIMBING, "RT/RW"): 1}
    assert_summary_is_the_recount()


def test_the_check_finds_and_fixes_a_tampered_summary(kelurahan_officer):
    profile = make_profile()
    services.verify_cadre(actor=kelurahan_officer, profile=profile)
    make_profile(kelurahan=GUNUNG_ELAI)
    call_command("check_cadre_counts")  # nothing to find

    AreaStatusCount.objects.filter(kelurahan_id=BELIMBING, status=Status.VERIFIED).update(cadres=7)
    AreaStatusCount.objects.filter(kelurahan_id=GUNUNG_ELAI).delete()
    AreaBodyCount.objects.create(kelurahan_id=GUNUNG_ELAI, body=body("LPM"), cadres=2)
    with pytest.raises(CommandError, match="3 cadre count"):
        call_command("check_cadre_counts")
    assert status_counts() == {(BELIMBING, Status.VERIFIED): 7}

    found = services.fix_area_counts()
    assert set(found) == {
        selectors.CountMismatch(BELIMBING, Status.VERIFIED, None, 7, 1),
        selectors.CountMismatch(GUNUNG_ELAI, None, body("LPM").pk, 2, 0),
        selectors.CountMismatch(GUNUNG_ELAI, Status.WAITING, None, 0, 1),
    }
    assert status_counts() == {(BELIMBING, Status.VERIFIED): 1, (GUNUNG_ELAI, Status.WAITING): 1}
    assert body_counts() == {(BELIMBING, "Posyandu"): 1}
    call_command("check_cadre_counts")


def test_the_check_command_repairs_with_fix(kelurahan_officer, capsys):
    make_profile()
    AreaStatusCount.objects.update(cadres=0)
    call_command("check_cadre_counts", "--fix")
    assert "Cadre counts fixed: 1." in capsys.readouterr().out
    assert status_counts() == {(BELIMBING, Status.WAITING): 1}
    call_command("check_cadre_counts")


def test_a_bulk_load_is_counted_once_at_its_end_and_the_triggers_count_on(kelurahan_officer):
    with services.area_counts_recounted_after_bulk_load():
        make_profile()
        assert status_counts() == {}  # the triggers are off during the load
    assert status_counts() == {(BELIMBING, Status.WAITING): 1}
    make_profile()
    assert status_counts() == {(BELIMBING, Status.WAITING): 2}


def test_a_failed_bulk_load_leaves_the_triggers_on(kelurahan_officer):
    def failing_load():
        with transaction.atomic(), services.area_counts_recounted_after_bulk_load():
            make_profile()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        failing_load()
    make_profile()
    assert status_counts() == {(BELIMBING, Status.WAITING): 1}
    assert_summary_is_the_recount()


# --- Concurrent writers (PostgreSQL) ----------------------------------------------------------


@require_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["membership", "verification"])
def test_a_membership_added_while_the_cadre_is_verified_is_counted_once(
    bontang, kelurahan_officer, first
):
    """One transaction adds a body while another verifies the cadre: whichever writes first
    holds its transaction open, and the other must still count the new body exactly once."""
    profile = make_profile()
    written = threading.Event()

    def add_membership():
        if first == "verification":
            written.wait(5)
        with transaction.atomic():
            CadreMembership.objects.create(profile_id=profile.pk, body=body("LPM"))
            if first == "membership":
                written.set()
                time.sleep(0.5)

    def verify():
        if first == "membership":
            written.wait(5)
        with transaction.atomic():
            services.verify_cadre(actor=kelurahan_officer, profile=profile)
            if first == "verification":
                written.set()
                time.sleep(0.5)

    run_at_once(add_membership, verify)
    assert body_counts() == {(BELIMBING, "Posyandu"): 1, (BELIMBING, "LPM"): 1}
    assert_summary_is_the_recount()


@require_postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_verifications_and_bodies_lose_no_count(bontang):
    officer = make_user(is_superuser=True)
    profiles = [make_profile() for _ in range(8)]

    def verify(profile):
        services.verify_cadre(actor=officer, profile=profile)

    def add_body(profile):
        CadreMembership.objects.create(profile_id=profile.pk, body=body("PKK"))

    run_at_once(
        *(lambda p=p: verify(p) for p in profiles),
        *(lambda p=p: add_body(p) for p in profiles),
    )
    assert status_counts() == {(BELIMBING, Status.VERIFIED): 8}
    assert body_counts() == {(BELIMBING, "Posyandu"): 8, (BELIMBING, "PKK"): 8}
    assert_summary_is_the_recount()


def test_a_fix_cancelled_for_a_deadlock_is_made_again(transactional_db, bontang, monkeypatch):
    """--fix locks the profiles, then the memberships: a writer holding the second and
    waiting for the first is a deadlock, which PostgreSQL breaks by cancelling one of them."""
    monkeypatch.setattr("forkom.conflicts.BACKOFF_SECONDS", 0)
    make_profile()
    AreaStatusCount.objects.update(cadres=0)
    recount = cancelled_the_first_time(selectors.area_count_mismatches)
    monkeypatch.setattr(selectors, "area_count_mismatches", recount)
    call_command("check_cadre_counts", "--fix")
    assert recount.calls == [1, 2]
    assert status_counts() == {(BELIMBING, Status.WAITING): 1}
