"""Dinas staff keep the regions of their own area in the admin; the code places a region."""

import pytest

from forkom.accounts.models import Role
from forkom.territory.models import Region
from tests.accounts.test_admin import with_totp
from tests.conftest import make_persona

ADD = "/admin/territory/region/add/"


@pytest.fixture
def samarinda_staff(other_kota):
    return with_totp(make_persona(Role.DINAS_STAFF, "64.72"))


def test_staff_add_a_region_of_their_area_placed_by_its_code(client, bontang):
    client.force_login(with_totp(make_persona(Role.DINAS_STAFF, "64.74")))
    response = client.post(ADD, {"code": "64.74.04", "name": "Bontang Tengah", "is_active": "on"})
    assert response.status_code == 302
    added = Region.objects.get(code="64.74.04")
    assert (added.level, added.parent_id, added.kind) == (3, "64.74", "")
    response = client.post(ADD, {"code": "64.74.04.1001", "name": "Baru", "is_active": "on"})
    assert response.status_code == 302
    added = Region.objects.get(code="64.74.04.1001")
    assert (added.level, added.parent_id, added.kind) == (4, "64.74.04", "kelurahan")


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("64.74.09", "outside your region"),  # Bontang, for staff of Samarinda
        ("64.72.5", "looks like"),
        ("64.72.02.1001", "first"),  # its kecamatan does not exist
    ],
)
def test_a_region_outside_the_area_or_of_the_wrong_shape_is_refused(
    client, samarinda_staff, code, problem
):
    client.force_login(samarinda_staff)
    client.cookies["django_language"] = "en"
    response = client.post(ADD, {"code": code, "name": "Siluman", "is_active": "on"})
    assert response.status_code == 400
    assert problem in str(response.context["adminform"].form.errors["code"])
    assert not Region.objects.filter(code=code).exists()


def test_an_edit_cannot_move_a_region_under_another_parent(client, samarinda_staff):
    client.force_login(samarinda_staff)
    url = "/admin/territory/region/64.72.01.1001/change/"
    response = client.post(
        url, {"name": "Rawa Makmur Baru", "parent": "64.74.01", "level": 3, "is_active": "on"}
    )
    assert response.status_code == 302
    region = Region.objects.get(code="64.72.01.1001")
    assert (region.name, region.parent_id, region.level) == ("Rawa Makmur Baru", "64.72.01", 4)
    assert client.get("/admin/territory/region/64.74.01/change/").status_code == 302
