"""The admin's "view on site" redirect answers only for rows the staff member may see."""

import pytest
from django.contrib.contenttypes.models import ContentType

from cadres.models import CadreProfile
from forkom.accounts.models import Role
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_profile
from tests.conftest import make_persona


def view_on_site(client, obj):
    content_type = ContentType.objects.get_for_model(obj)
    return client.get(f"/admin/r/{content_type.pk}/{obj.pk}/")


def test_a_row_of_another_region_is_not_found(client, other_kota):
    bontang_staff = with_totp(make_persona(Role.DINAS_STAFF, "64.74"))
    here = make_profile(kelurahan="64.74.03.1001")
    there = make_profile(kelurahan="64.72.01.1001")
    client.force_login(bontang_staff)
    response = view_on_site(client, here)
    assert response.status_code == 302
    assert response["Location"] == here.get_absolute_url()
    response = view_on_site(client, there)
    assert response.status_code == 404
    assert str(there.public_id) not in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/admin/r/999999/1/",
        "/admin/r/abc/1/",
        "/admin/r/99999999999999999999999/1/",
        "/admin/r/{ct}/abc/",
        "/admin/r/{ct}/99999999999999999999999/",
    ],
)
def test_nonsense_is_not_found(client, bontang, path):
    client.force_login(with_totp(make_persona(Role.DINAS_STAFF, "64.74")))
    ct = ContentType.objects.get_for_model(CadreProfile).pk
    assert client.get(path.format(ct=ct)).status_code == 404


def test_people_without_the_admin_are_sent_to_sign_in(client, cadre):
    profile = make_profile(kelurahan="64.74.03.1001")
    client.force_login(cadre)
    assert view_on_site(client, profile).status_code == 302
    assert view_on_site(client, profile)["Location"].startswith("/admin/login/")
