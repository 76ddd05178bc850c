"""Who reaches which dashboard: everyone else gets 404, for the pages and their exports."""

import pytest
from django.urls import reverse

from forkom.accounts.models import Role
from tests.conftest import make_persona

CITY_PAGES = [
    ("dashboard:city", ["64.74"]),
    ("dashboard:city_export", ["64.74", "csv"]),
    ("dashboard:city_export", ["64.74", "xlsx"]),
    ("dashboard:city_kecamatan", ["64.74", "64.74.03"]),
    ("dashboard:city_kecamatan_export", ["64.74", "64.74.03", "csv"]),
    ("dashboard:city_kecamatan_export", ["64.74", "64.74.03", "xlsx"]),
]
PROVINCE_PAGES = [
    ("dashboard:province", ["64"]),
    ("dashboard:province_export", ["64", "csv"]),
    ("dashboard:province_export", ["64", "xlsx"]),
]


def status_of(client, user, name, args):
    client.force_login(user)
    return client.get(reverse(name, args=args)).status_code


@pytest.mark.parametrize(("name", "args"), CITY_PAGES)
def test_a_coordinator_of_another_kota_gets_404_on_this_kotas_dashboard_and_exports(
    client, other_coordinator, name, args
):
    assert status_of(client, other_coordinator, name, args) == 404


@pytest.mark.parametrize(("name", "args"), CITY_PAGES)
def test_the_coordinator_and_dinas_staff_reach_the_city_dashboard_and_exports(
    client, coordinator, staff, kota_staff, name, args
):
    for user in (coordinator, staff, kota_staff):
        assert status_of(client, user, name, args) == 200


@pytest.mark.parametrize(("name", "args"), CITY_PAGES + PROVINCE_PAGES)
@pytest.mark.parametrize(
    "persona", ["kecamatan_officer", "kelurahan_officer", "cadre", "outsider"]
)
def test_forum_officers_and_cadres_do_not_reach_any_dashboard(
    client, request, persona, name, args
):
    assert status_of(client, request.getfixturevalue(persona), name, args) == 404


@pytest.mark.parametrize(("name", "args"), PROVINCE_PAGES)
def test_only_dinas_staff_of_the_province_reach_the_province_dashboard(
    client, staff, coordinator, kota_staff, name, args
):
    assert status_of(client, staff, name, args) == 200
    assert status_of(client, coordinator, name, args) == 404
    assert status_of(client, kota_staff, name, args) == 404


def test_staff_of_another_province_get_404(client, bontang):
    from forkom.territory.models import Region

    Region.objects.create(code="65", name="Kalimantan Utara", level=1)
    other = make_persona(Role.DINAS_STAFF, "65")
    assert status_of(client, other, "dashboard:city", ["64.74"]) == 404
    assert status_of(client, other, "dashboard:province", ["64"]) == 404
    assert status_of(client, other, "dashboard:province", ["65"]) == 200


def test_a_kecamatan_of_another_kota_is_not_found_under_this_kota(client, coordinator, samarinda):
    assert status_of(client, coordinator, "dashboard:city_kecamatan", ["64.74", "64.72.01"]) == 404
    assert status_of(client, coordinator, "dashboard:city_kecamatan", ["64.74", "64.74"]) == 404


def test_unknown_codes_and_levels_are_not_found(client, coordinator, staff):
    assert status_of(client, coordinator, "dashboard:city", ["64.74.03"]) == 404
    assert status_of(client, coordinator, "dashboard:city", ["99.99"]) == 404
    assert status_of(client, staff, "dashboard:province", ["64.74"]) == 404
    assert status_of(client, coordinator, "dashboard:city_export", ["64.74", "pdf"]) == 404


def test_someone_signed_out_is_asked_to_sign_in(client, bontang):
    response = client.get(reverse("dashboard:city", args=["64.74"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_dashboard_menu_leads_each_user_to_their_own_dashboard(
    client, coordinator, staff, kota_staff, kecamatan_officer
):
    assert status_of(client, kecamatan_officer, "dashboard:home", []) == 404
    for user, target in (
        (coordinator, reverse("dashboard:city", args=["64.74"])),
        (staff, reverse("dashboard:province", args=["64"])),
        (kota_staff, reverse("dashboard:city", args=["64.74"])),
    ):
        client.force_login(user)
        response = client.get(reverse("dashboard:home"))
        assert response.status_code == 302
        assert response["Location"] == target


def test_someone_with_several_dashboards_chooses_one(client, coordinator, samarinda):
    from forkom.accounts import services
    from forkom.territory.models import Region

    services.grant_role(
        actor=None, user=coordinator, role=Role.DINAS_STAFF, region=Region.objects.get(code="64")
    )
    client.force_login(coordinator)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert reverse("dashboard:city", args=["64.74"]) in response.text
    assert reverse("dashboard:province", args=["64"]) in response.text


def test_a_superuser_without_roles_chooses_among_the_provinces(client, bontang):
    from tests.conftest import make_user

    client.force_login(make_user(is_superuser=True))
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:province", args=["64"])
