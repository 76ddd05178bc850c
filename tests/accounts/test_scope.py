import datetime
from unittest import mock

import pytest
from django.http import Http404
from django.utils import translation

from forkom import scope
from forkom.accounts import services
from forkom.accounts.models import Position, Role, RoleAssignment
from forkom.errors import DomainError
from forkom.territory.models import Region
from tests.conftest import make_persona, make_user


def visible_codes(user, roles=None):
    return set(
        scope.scoped(Region.objects.all(), user, "code", roles).values_list("code", flat=True)
    )


def test_a_kelurahan_officer_reaches_only_their_kelurahan(kelurahan_officer):
    assert visible_codes(kelurahan_officer) == {"64.74.03.1001"}


def test_a_kecamatan_officer_reaches_their_kecamatan_and_its_kelurahan(kecamatan_officer):
    assert visible_codes(kecamatan_officer) == {
        "64.74.03",
        "64.74.03.1001",
        "64.74.03.1002",
        "64.74.03.1003",
    }


def test_the_coordinator_reaches_the_whole_kota_but_not_the_province(coordinator):
    codes = visible_codes(coordinator)
    assert len(codes) == 19
    assert "64" not in codes
    assert all(code.startswith("64.74") for code in codes)


def test_staff_of_the_province_reach_everything_below_it(staff):
    assert len(visible_codes(staff)) == 20


def test_personas_in_different_kecamatan_do_not_see_each_other(kecamatan_officer, outsider):
    assert visible_codes(outsider) == {"64.74.01.1001"}
    assert not visible_codes(outsider) & visible_codes(kecamatan_officer)


def test_an_object_outside_the_scope_is_not_found(outsider):
    regions = Region.objects.all()
    assert (
        scope.get_or_404(regions, outsider, "code", code="64.74.01.1001").name == "Bontang Kuala"
    )
    with pytest.raises(Http404):
        scope.get_or_404(regions, outsider, "code", code="64.74.03.1001")


def test_roles_narrow_the_scope_to_the_role_asked_for(kecamatan_officer):
    assert visible_codes(kecamatan_officer, {Role.DINAS_STAFF}) == set()
    assert scope.can_act(kecamatan_officer, "64.74.03.1002", {Role.FORUM_OFFICER})
    assert not scope.can_act(kecamatan_officer, "64.74.03.1002", {Role.CITY_COORDINATOR})
    assert not scope.can_act(kecamatan_officer, "64.74.02.1001", {Role.FORUM_OFFICER})


def test_a_prefix_that_is_not_a_whole_code_segment_does_not_match(bontang):
    # 64.74.0 is not a parent of 64.74.01: the subtree prefix ends on a dot.
    user = make_persona(Role.CADRE, "64.74.01.1001")
    assert not scope.can_act(user, "64.74.01.10011")
    assert not scope.can_act(user, "64.74.01.100")


def test_anonymous_and_role_less_users_reach_nothing(bontang, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert visible_codes(AnonymousUser()) == set()
    assert visible_codes(make_user()) == set()


def test_a_superuser_reaches_everything(bontang):
    admin = make_user(is_superuser=True, is_staff=True)
    assert len(visible_codes(admin)) == 20


def test_a_revoked_role_reaches_nothing(kelurahan_officer):
    assignment = RoleAssignment.objects.get(user=kelurahan_officer)
    services.revoke_role(actor=None, assignment=assignment)
    assert visible_codes(kelurahan_officer) == set()
    assert RoleAssignment.objects.filter(user=kelurahan_officer, is_active=False).exists()


def test_an_ended_term_reaches_nothing(bontang):
    officer = make_user()
    RoleAssignment.objects.create(
        user=officer,
        role=Role.FORUM_OFFICER,
        position=Position.KETUA,
        region_id="64.74.03",
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2024, 1, 1),
    )
    assert visible_codes(officer) == set()


def test_roles_are_held_only_at_their_level(bontang):
    user = make_user()
    with pytest.raises(DomainError):
        services.grant_role(
            actor=None,
            user=user,
            role=Role.CITY_COORDINATOR,
            region=Region.objects.get(code="64.74.03"),
        )
    with pytest.raises(DomainError):
        services.grant_role(
            actor=None,
            user=user,
            role=Role.FORUM_OFFICER,
            region=Region.objects.get(code="64.74.03"),
        )  # no position
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_a_kota_has_one_active_coordinator(coordinator):
    with pytest.raises(DomainError, match="Kota Bontang"):
        services.grant_role(
            actor=None,
            user=make_user(),
            role=Role.CITY_COORDINATOR,
            region=Region.objects.get(code="64.74"),
        )
    assert RoleAssignment.objects.filter(role=Role.CITY_COORDINATOR).count() == 1


def test_staff_may_grant_roles_only_inside_their_region(bontang):
    city_staff = make_persona(Role.DINAS_STAFF, "64.74")
    with pytest.raises(DomainError):
        services.grant_role(
            actor=city_staff,
            user=make_user(),
            role=Role.DINAS_STAFF,
            region=Region.objects.get(code="64"),
        )
    # A cadre of the kota stands below its staff: they may make them its coordinator.
    cadre = make_persona(Role.CADRE, "64.74.03.1001")
    assignment = services.grant_role(
        actor=city_staff,
        user=cadre,
        role=Role.CITY_COORDINATOR,
        region=Region.objects.get(code="64.74"),
    )
    assert assignment.granted_by == city_staff


@pytest.mark.parametrize(
    ("role", "code", "position"),
    [(Role.CADRE, "64.74.02.1001", ""), (Role.FORUM_OFFICER, "64.74.02", Position.KETUA)],
)
def test_a_person_gives_cadre_and_forum_roles_only_through_their_flows(
    bontang, role, code, position
):
    city_staff = make_persona(Role.DINAS_STAFF, "64.74")
    user = make_user()
    with translation.override("en"), pytest.raises(DomainError, match=r"verification|forum"):
        services.grant_role(
            actor=city_staff,
            user=user,
            role=role,
            region=Region.objects.get(code=code),
            position=position,
        )
    assert not RoleAssignment.objects.filter(user=user).exists()
    # The flows themselves (verification, the forum's services) act as the portal.
    assignment = services.grant_role(
        actor=None, user=user, role=role, region=Region.objects.get(code=code), position=position
    )
    with pytest.raises(DomainError):
        services.revoke_role(actor=city_staff, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.is_active


def test_a_dinas_role_makes_the_user_staff_and_revoking_it_undoes_that(bontang):
    user = make_persona(Role.DINAS_STAFF, "64.74")
    assert user.is_staff
    services.revoke_role(actor=None, assignment=RoleAssignment.objects.get(user=user))
    user.refresh_from_db()
    assert not user.is_staff


def test_grants_are_read_in_one_query_per_request(kecamatan_officer, django_assert_num_queries):
    with django_assert_num_queries(1):
        for _ in range(5):
            scope.region_codes(kecamatan_officer)
            scope.can_act(kecamatan_officer, "64.74.03")


def fresh(user):
    scope.forget_grants(user)
    return {(grant.role, grant.region_code) for grant in scope.grants(user)}


def test_each_user_gets_their_own_grants_from_the_kept_statement(
    kelurahan_officer, kecamatan_officer, coordinator
):
    for _ in range(2):
        assert fresh(kelurahan_officer) == {(Role.FORUM_OFFICER, "64.74.03.1001")}
        assert fresh(coordinator) == {(Role.CITY_COORDINATOR, "64.74")}
        assert fresh(kecamatan_officer) == {(Role.FORUM_OFFICER, "64.74.03")}


def test_the_grants_follow_the_day_a_term_starts_and_ends(bontang):
    """The statement is kept per day: yesterday's does not answer for today."""
    officer = make_user()
    today = datetime.date(2026, 12, 5)
    tomorrow = today + datetime.timedelta(days=1)
    RoleAssignment.objects.create(
        user=officer,
        role=Role.FORUM_OFFICER,
        position=Position.KETUA,
        region_id="64.74.03",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=today,
    )
    RoleAssignment.objects.create(
        user=officer,
        role=Role.FORUM_OFFICER,
        position=Position.SEKRETARIS,
        region_id="64.74.03.1001",
        starts_on=tomorrow,
    )
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        assert fresh(officer) == {(Role.FORUM_OFFICER, "64.74.03")}
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        assert fresh(officer) == {(Role.FORUM_OFFICER, "64.74.03.1001")}
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        assert fresh(officer) == {(Role.FORUM_OFFICER, "64.74.03")}
