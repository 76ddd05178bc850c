"""scope.may_manage, which the admin's pages of one account ask (ScopedAdmin._kept_object,
through UserAdmin._may_see_kept), answers as scope.manageable_users, which lists them: for
every account and staff member of a set made to differ in each of the rule's conditions, and
through the pages themselves."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forkom import scope
from forkom.accounts import services
from forkom.accounts.models import Position, Role, RoleAssignment, User
from forkom.territory.models import Region
from tests.accounts.test_admin import with_totp
from tests.conftest import make_persona, make_user
from tests.trainings.factories import make_cadre


def grant(user, role, code, position="", **dates):
    services.grant_role(
        actor=None, user=user, role=role, region=Region.objects.get(code=code), position=position
    )
    if dates:
        RoleAssignment.objects.filter(user=user, region_id=code, role=role).update(**dates)


@pytest.fixture
def accounts(bontang, other_kota):
    today = timezone.localdate()
    made = {
        "no region": make_user("tanpa.wilayah@test.forkom.id"),
        "superuser": make_user("root@test.forkom.id", is_superuser=True, is_staff=True),
        "province staff": make_persona(Role.DINAS_STAFF, "64", is_staff=True),
        "bontang staff": make_persona(Role.DINAS_STAFF, "64.74", is_staff=True),
        "samarinda staff": make_persona(Role.DINAS_STAFF, "64.72", is_staff=True),
        "coordinator": make_persona(Role.CITY_COORDINATOR, "64.74"),
        "kecamatan officer": make_persona(Role.FORUM_OFFICER, "64.74.01", Position.KETUA),
        "kelurahan officer": make_persona(
            Role.FORUM_OFFICER, "64.74.02.1005", Position.SEKRETARIS
        ),
        "samarinda officer": make_persona(Role.FORUM_OFFICER, "64.72.01", Position.KETUA),
        "cadre": make_cadre().user,
        "cadre without a user's role": make_cadre(verified=False).user,
    }
    # A cadre of Bontang who is also an officer in Samarinda: not wholly below Bontang.
    both = made["both places"] = make_cadre().user
    grant(both, Role.FORUM_OFFICER, "64.72.01", Position.BENDAHARA)
    # Roles that ended, were revoked, or start later.
    ended = made["role ended"] = make_user("selesai@test.forkom.id")
    grant(ended, Role.FORUM_OFFICER, "64.74.01", Position.KETUA)
    RoleAssignment.objects.filter(user=ended).update(
        starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=1)
    )
    revoked = made["role revoked"] = make_user("dicabut@test.forkom.id")
    grant(revoked, Role.FORUM_OFFICER, "64.74.01", Position.KETUA)
    RoleAssignment.objects.filter(user=revoked).update(is_active=False)
    later = made["role starts later"] = make_user("nanti@test.forkom.id")
    grant(later, Role.FORUM_OFFICER, "64.72.01", Position.KETUA)
    RoleAssignment.objects.filter(user=later).update(starts_on=today + timedelta(days=30))
    ends_today = made["role ends today"] = make_user("hari.ini@test.forkom.id")
    grant(ends_today, Role.FORUM_OFFICER, "64.74.01", Position.KETUA)
    RoleAssignment.objects.filter(user=ends_today).update(ends_on=today)
    # A staff member's peer at the same region, and a second region for Bontang's staff.
    made["bontang peer"] = make_persona(Role.DINAS_STAFF, "64.74", is_staff=True)
    two = made["staff of two kota"] = make_persona(Role.DINAS_STAFF, "64.74", is_staff=True)
    grant(two, Role.DINAS_STAFF, "64.72")
    made["inactive superuser"] = make_user(
        "root.lama@test.forkom.id", is_superuser=True, is_staff=True, is_active=False
    )
    return made


def test_one_account_is_manageable_exactly_when_the_list_has_it(accounts):
    viewers = [
        accounts[name]
        for name in (
            "superuser",
            "inactive superuser",
            "province staff",
            "bontang staff",
            "samarinda staff",
            "staff of two kota",
            "coordinator",
        )
    ]
    differing = 0
    for viewer in viewers:
        listed = set(
            scope.manageable_users(User.objects.all(), viewer).values_list("pk", flat=True)
        )
        for name, account in accounts.items():
            profile = getattr(account, "cadre_profile", None)
            answer = scope.may_manage(
                viewer,
                account,
                has_profile=profile is not None,
                profile_code=profile.kelurahan_id if profile else None,
            )
            assert answer == (account.pk in listed), (viewer.email, name)
        differing += 0 < len(listed) < len(accounts)
    # The set tells the staff members apart: each sees some accounts and not others.
    assert differing >= 4


def test_an_accounts_pages_open_for_the_staff_who_manage_it_and_no_one_else(client, accounts):
    staff = with_totp(accounts["bontang staff"])
    client.force_login(staff)
    for name, account in accounts.items():
        manageable = scope.manageable_users(User.objects.filter(pk=account.pk), staff).exists()
        for page in ("change", "history", "password"):
            view = "auth_user_password_change" if page == "password" else f"accounts_user_{page}"
            response = client.get(reverse(f"admin:{view}", args=[account.pk]))
            if manageable:
                assert response.status_code == 200, (name, page)
                assert account.email.encode() in response.content
            else:  # Django sends an unknown account back to the list with a message
                assert response.status_code in (302, 404), (name, page)
    for hostile in ("abc", "9" * 30, "-1", "0"):
        response = client.get(f"/admin/accounts/user/{hostile}/change/")
        assert response.status_code in (302, 404)
