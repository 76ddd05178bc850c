"""Dinas staff manage only the accounts that stand wholly below them (issue 12, finding 1).

An account is manageable by a staff member when every role it holds, now or dated to start
later, lies strictly inside the staff member's region and its profile, if any, lies there
too. Everyone else is reached by an invitation the person accepts.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from forkom import scope
from forkom.accounts import services
from forkom.accounts.models import Role, RoleAssignment, RoleInvitation, User
from forkom.errors import DomainError
from forkom.territory.models import Region
from tests.accounts.test_admin import listed_emails, with_totp
from tests.cadres.factories import make_profile
from tests.conftest import PASSWORD, make_persona, make_user

NEW_PASSWORD = "Ambil-alih-2026!"


@pytest.fixture
def bontang_staff(bontang):
    return with_totp(make_persona(Role.DINAS_STAFF, "64.74", email="staf.bontang@test.id"))


@pytest.fixture
def province_staff(bontang):
    return with_totp(make_persona(Role.DINAS_STAFF, "64", email="staf.kaltim@test.id"))


def set_password(client, account):
    return client.post(
        f"/admin/accounts/user/{account.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def assert_untouched(account):
    account.refresh_from_db()
    assert account.check_password(PASSWORD)


def test_a_raw_post_of_a_foreign_account_to_the_role_form_grants_nothing(
    client, other_kota, bontang_staff
):
    samarinda_coordinator = make_persona(Role.CITY_COORDINATOR, "64.72")
    client.force_login(bontang_staff)
    response = client.post(
        "/admin/accounts/roleassignment/add/",
        {
            "user": samarinda_coordinator.pk,
            "role": Role.DINAS_STAFF,
            "region": "64.74",
            "starts_on": timezone.localdate().isoformat(),
            "ends_on": "",
        },
    )
    assert response.status_code == 400
    assert "user" in response.context["adminform"].form.errors
    assert list(RoleAssignment.objects.filter(user=samarinda_coordinator)) == list(
        RoleAssignment.objects.filter(user=samarinda_coordinator, role=Role.CITY_COORDINATOR)
    )
    assert set_password(client, samarinda_coordinator).status_code in {302, 404}
    assert_untouched(samarinda_coordinator)
    # The service refuses the same, whatever form calls it.
    with pytest.raises(DomainError):
        services.grant_role(
            actor=bontang_staff,
            user=samarinda_coordinator,
            role=Role.DINAS_STAFF,
            region=Region.objects.get(code="64.74"),
        )


def test_an_account_whose_role_starts_later_already_belongs_to_that_region(
    client, other_kota, bontang_staff, province_staff
):
    future = make_user("calon.staf.samarinda@test.id")
    services.grant_role(
        actor=None,
        user=future,
        role=Role.DINAS_STAFF,
        region=Region.objects.get(code="64.72"),
        starts_on=timezone.localdate() + timedelta(days=30),
    )
    future.refresh_from_db()
    assert not future.is_staff  # nothing changes before the role starts

    client.force_login(bontang_staff)
    assert "calon.staf.samarinda@test.id" not in listed_emails(client)
    assert set_password(client, future).status_code in {302, 404}
    assert_untouched(future)
    response = client.post(
        f"/admin/accounts/user/{future.pk}/change/",
        {"email": "pencuri@test.id", "first_name": "", "last_name": "", "is_active": "on"},
    )
    assert response.status_code in {302, 404}
    future.refresh_from_db()
    assert future.email == "calon.staf.samarinda@test.id"

    # The province's staff stand above Samarinda: the account is theirs to manage.
    client.force_login(province_staff)
    assert "calon.staf.samarinda@test.id" in listed_emails(client)


def test_a_dinas_role_opens_the_admin_on_its_first_day_and_closes_it_after_its_last(bontang):
    person = make_user()
    today = timezone.localdate()
    assignment = services.grant_role(
        actor=None,
        user=person,
        role=Role.DINAS_STAFF,
        region=Region.objects.get(code="64.74"),
        starts_on=today + timedelta(days=2),
        ends_on=today + timedelta(days=5),
    )
    person.refresh_from_db()
    assert not person.is_staff
    assert services.sync_staff_flags(today + timedelta(days=1)) == 0
    assert services.sync_staff_flags(today + timedelta(days=2)) == 1
    person.refresh_from_db()
    assert person.is_staff
    assert services.sync_staff_flags(assignment.ends_on + timedelta(days=1)) == 1
    person.refresh_from_db()
    assert not person.is_staff


def test_signing_in_brings_the_staff_flag_up_to_date(client, bontang):
    person = make_user()
    RoleAssignment.objects.create(user=person, role=Role.DINAS_STAFF, region_id="64.74")
    assert not User.objects.get(pk=person.pk).is_staff
    assert client.login(email=person.email, password=PASSWORD)
    assert User.objects.get(pk=person.pk).is_staff


def test_accounts_of_no_region_are_for_superusers_only(client, bontang, bontang_staff):
    make_user("tanpa.profil@test.id")
    former = make_persona(Role.CITY_COORDINATOR, "64.74", email="mantan@test.id")
    services.revoke_role(actor=None, assignment=RoleAssignment.objects.get(user=former))
    lonely = User.objects.get(email="tanpa.profil@test.id")
    client.force_login(bontang_staff)
    assert listed_emails(client) == set()
    for account in (lonely, former):
        assert set_password(client, account).status_code in {302, 404}
        assert_untouched(account)
    # Nor do staff create accounts: they would belong to no region.
    assert client.get("/admin/accounts/user/add/").status_code == 403

    root = with_totp(make_user("root@test.id", is_superuser=True, is_staff=True))
    client.force_login(root)
    assert {"tanpa.profil@test.id", "mantan@test.id"} <= listed_emails(client)


def test_staff_do_not_manage_their_peers_or_their_kotas_coordinator(
    client, bontang, bontang_staff, province_staff
):
    peer = make_persona(Role.DINAS_STAFF, "64.74", email="rekan@test.id")
    coordinator = make_persona(Role.CITY_COORDINATOR, "64.74", email="koordinator@test.id")
    client.force_login(bontang_staff)
    for account in (peer, coordinator, province_staff):
        assert set_password(client, account).status_code in {302, 404}
        assert_untouched(account)
    # No revoking a peer's role to cover one's tracks either.
    response = client.post(
        "/admin/accounts/roleassignment/",
        {"action": "revoke", "_selected_action": [RoleAssignment.objects.get(user=peer).pk]},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user=peer).is_active

    # The province's staff stand above both.
    client.force_login(province_staff)
    assert set_password(client, coordinator).status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password(NEW_PASSWORD)


def test_a_cadre_with_a_profile_elsewhere_is_not_made_manageable_by_a_role_here(bontang):
    """An account is manageable only when *every* role and the profile lie in the region."""
    bontang_staff = make_persona(Role.DINAS_STAFF, "64.74")
    Region.objects.create(code="64.72", name="Kota Samarinda", level=2, parent_id="64")
    Region.objects.create(code="64.72.01", name="Palaran", level=3, parent_id="64.72")
    Region.objects.create(code="64.72.01.1001", name="Rawa Makmur", level=4, parent_id="64.72.01")
    cadre = make_user()
    make_profile(cadre, kelurahan="64.72.01.1001")
    RoleAssignment.objects.create(user=cadre, role=Role.CADRE, region_id="64.74.03.1001")
    assert not scope.manageable_users(User.objects.filter(pk=cadre.pk), bontang_staff).exists()


# --- Invitations: how staff reach a person who is not yet theirs ---------------------------


def invitation_link(message):
    return re.search(r"https?://\S+/akun/undangan/\S+/", message.body).group(0)


def test_staff_invite_a_person_who_accepts_with_the_invited_address(
    client, bontang, bontang_staff, django_capture_on_commit_callbacks
):
    client.force_login(bontang_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/accounts/roleinvitation/add/",
            {"email": "Koordinator.Baru@test.id", "role": Role.CITY_COORDINATOR,
             "region": "64.74", "starts_on": "", "ends_on": ""},
        )  # fmt: skip
    assert response.status_code == 302
    invitation = RoleInvitation.objects.get()
    assert invitation.email == "koordinator.baru@test.id"
    [message] = mail.outbox
    assert message.to == ["koordinator.baru@test.id"]
    # Greeted and signed as the portal's other emails are (found by a walk through the demo
    # site: the invitation began and ended without either).
    assert message.body.startswith(("Halo,", "Hello,"))
    assert "Forum Komunikasi Kader Pemberdayaan Masyarakat" in message.body
    link = invitation_link(message)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash  # only a hash is kept
    path = link.split("testserver", 1)[1]

    # Someone else who got hold of the link cannot use it.
    other = make_user("lain@test.id")
    client.force_login(other)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 403
    assert not RoleAssignment.objects.filter(user=other).exists()

    # Nor an account with the address unconfirmed.
    unconfirmed = make_user("koordinator.baru@test.id", verified=False)
    client.force_login(unconfirmed)
    assert client.post(path).status_code == 403
    unconfirmed.emailaddress_set.update(verified=True)

    response = client.post(path)
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=unconfirmed)
    assert (assignment.role, assignment.region_id, assignment.granted_by) == (
        Role.CITY_COORDINATOR, "64.74", bontang_staff,
    )  # fmt: skip
    # Once only.
    assert client.post(path).status_code == 409
    assert client.get(path).status_code == 404


def test_an_expired_or_withdrawn_invitation_gives_nothing(client, bontang):
    inviter = make_persona(Role.DINAS_STAFF, "64.74")
    person = make_user("diundang@test.id")
    invitation, token = services.invite_to_role(
        actor=inviter,
        email=person.email,
        role=Role.DINAS_STAFF,
        region=Region.objects.get(code="64.74"),
    )
    RoleInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with pytest.raises(DomainError):
        services.accept_invitation(actor=person, token=token)
    invitation, token = services.invite_to_role(
        actor=inviter,
        email=person.email,
        role=Role.DINAS_STAFF,
        region=Region.objects.get(code="64.74"),
    )
    services.withdraw_invitation(actor=inviter, invitation=invitation)
    with pytest.raises(DomainError):
        services.accept_invitation(actor=person, token=token)
    assert not RoleAssignment.objects.filter(user=person).exists()


def test_staff_invite_only_into_their_own_region(bontang, other_kota):
    inviter = make_persona(Role.DINAS_STAFF, "64.74")
    with pytest.raises(DomainError):
        services.invite_to_role(
            actor=inviter, email="x@test.id", role=Role.CITY_COORDINATOR,
            region=Region.objects.get(code="64.72"),
        )  # fmt: skip
    assert not RoleInvitation.objects.exists()
