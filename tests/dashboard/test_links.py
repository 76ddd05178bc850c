"""Each figure leads to the list behind it, with the filters set, and that list has as many
rows as the figure says."""

from django.urls import reverse

from cadres.forms import CadreFilter
from cadres.models import CadreProfile
from cadres.selectors import cadres_for

# Every test here asks for the data set: it is built once for the module (conftest.py).
WORLD_FOR_THE_MODULE = True


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_the_cadre_and_proposal_figures_lead_to_lists_of_as_many_rows(client, world):
    client.force_login(world.coordinator)
    board = client.get(reverse("dashboard:city", args=["64.74"])).context["board"]
    checked = 0
    for row in board.rows:
        assert listed(client, row.links.verified) == row.verified
        assert listed(client, row.links.waiting) == row.waiting
        assert listed(client, row.links.recommended) == row.recommended
        for cell in row.links.states:
            assert listed(client, cell.url) == cell.value, cell
            checked += cell.value
        for cell in row.links.bodies:
            assert listed(client, cell.url) == cell.value, cell
    assert checked == 10  # every proposal the coordinator sees, each counted once


def test_the_kelurahan_figures_lead_to_lists_filtered_by_kelurahan(client, world):
    client.force_login(world.coordinator)
    url = reverse("dashboard:city_kecamatan", args=["64.74", "64.74.03"])
    board = client.get(url).context["board"]
    belimbing = next(row for row in board.rows if row.code == "64.74.03.1001")
    assert "kelurahan=64.74.03.1001" in belimbing.links.verified
    assert listed(client, belimbing.links.verified) == belimbing.verified == 2
    for cell in belimbing.links.states:
        assert listed(client, cell.url) == cell.value


def test_the_rows_lead_down_to_the_kecamatan_and_to_the_forum(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("dashboard:city", args=["64.74"]))
    assert 'href="/dasbor/kota/64.74/kecamatan/64.74.03/"' in response.text
    assert 'href="/forum/64.74.03/kelola/"' in response.text
    assert 'href="/pelatihan/?kecamatan=64.74.03"' in response.text
    assert client.get("/pelatihan/?kecamatan=64.74.03").status_code == 200


def test_the_province_rows_lead_to_the_city_dashboards(client, world):
    client.force_login(world.staff)
    board = client.get(reverse("dashboard:province", args=["64"])).context["board"]
    samarinda = next(row for row in board.rows if row.code == "64.72")
    assert samarinda.links.area == reverse("dashboard:city", args=["64.72"])
    assert client.get(samarinda.links.area).status_code == 200


def test_the_cadre_list_filters_by_kecamatan(world):
    everyone = cadres_for(world.coordinator)
    barat = CadreFilter({"kecamatan": "64.74.03"}, queryset=everyone, user=world.coordinator)
    codes = {profile.kelurahan_id for profile in barat.qs}
    assert codes == {"64.74.03.1001", "64.74.03.1002"}
    assert barat.qs.count() == CadreProfile.objects.filter(kelurahan__parent_id="64.74.03").count()
    assert dict(barat.form.fields["kecamatan"].choices)["64.74.03"] == "Bontang Barat"


def test_the_cadre_list_refuses_a_kecamatan_outside_the_viewers_area(world):
    everyone = cadres_for(world.coordinator)
    palaran = CadreFilter({"kecamatan": "64.72.01"}, queryset=everyone, user=world.coordinator)
    assert not palaran.is_valid()
    assert "64.72.01" not in dict(palaran.form.fields["kecamatan"].choices)
