import base64

from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from forkom.accounts.models import Role, RoleAssignment
from tests.conftest import make_persona, make_user


def with_totp(user):
    TOTP.activate(user, base64.b32encode(b"forkom-test-secret!!").decode())
    return user


def test_anonymous_visitors_are_sent_to_the_sign_in_page(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dinas_staff_must_turn_on_two_factor_before_the_admin(client, staff):
    client.force_login(staff)
    response = client.get("/admin/", follow=True)
    assert (reverse("mfa_activate_totp"), 302) in response.redirect_chain


def test_dinas_staff_with_two_factor_reach_the_admin(client, staff):
    client.force_login(with_totp(staff))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"territory/region" in response.content


def test_a_cadre_has_no_way_into_the_admin(client, cadre):
    client.force_login(with_totp(cadre))
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert client.get("/admin/territory/region/").status_code == 302


def test_staff_of_a_kota_see_only_role_assignments_of_their_kota(client, bontang, outsider):
    city_staff = with_totp(make_persona(Role.DINAS_STAFF, "64.74"))
    other_kota_user = make_user()
    RoleAssignment.objects.create(user=other_kota_user, role=Role.CADRE, region_id="64.74.02.1001")
    client.force_login(city_staff)
    response = client.get("/admin/accounts/roleassignment/")
    assert response.status_code == 200
    shown = set(response.context["cl"].queryset.values_list("region_id", flat=True))
    assert shown == {"64.74", "64.74.01.1001", "64.74.02.1001"}


def test_region_admin_finds_a_subtree_by_code_and_a_region_by_name(client, staff):
    client.force_login(with_totp(staff))
    response = client.get("/admin/territory/region/", {"q": "64.74.02"})
    codes = {region.code for region in response.context["cl"].result_list}
    assert codes == {"64.74.02", *{f"64.74.02.100{n}" for n in range(1, 7)}}
    response = client.get("/admin/territory/region/", {"q": "Kanaan"})
    assert [region.code for region in response.context["cl"].result_list] == ["64.74.03.1003"]


def test_staff_grant_a_role_through_the_admin_form_within_their_region(client, bontang):
    city_staff = with_totp(make_persona(Role.DINAS_STAFF, "64.74"))
    newcomer = make_user("baru@contoh.id")
    client.force_login(city_staff)
    form = {
        "user": newcomer.pk,
        "role": Role.CADRE,
        "position": "",
        "region": "64.74.02.1003",
        "starts_on": "2026-11-01",
        "ends_on": "",
    }
    response = client.post("/admin/accounts/roleassignment/add/", form)
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user=newcomer).granted_by == city_staff

    form.update(region="64", role=Role.DINAS_STAFF)
    response = client.post("/admin/accounts/roleassignment/add/", form)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert RoleAssignment.objects.filter(user=newcomer).count() == 1
