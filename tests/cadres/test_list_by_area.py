"""The cadre list of a whole area, unfiltered: its count comes from the kept counts per
kelurahan and status, and on PostgreSQL its page's keys from each region's first names,
merged (cadres.selectors.cadre_count and cadre_keys_by_name). The same rows, in the same
order, as counting and sorting the profiles themselves."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres import selectors
from cadres.models import CadreProfile
from tests.cadres.factories import make_nik, make_profile
from tests.conftest import make_user

Status = CadreProfile.Status
NAMES = ["Wahyuni", "Andi", "Siti", "Budi", "Andi", "Rahmat", "Siti", "Yusuf", "Andi", "Zainal"]
# Three kecamatan of Kota Bontang, and Samarinda's kelurahan: another kota, out of reach.
KELURAHAN = ["64.74.03.1001", "64.74.03.1002", "64.74.01.1001", "64.74.02.1003", "64.72.01.1001"]
WINDOWS = [slice(0, 25), slice(25, 50), slice(5, 12), slice(0, 1), slice(30, 55), slice(60, 85)]


@pytest.fixture
def spread(other_kota):
    # Names repeat within and across kelurahan: ties fall back to the key, as the list's
    # ordering says. Every status is present, changed by a raw update the triggers count.
    profiles = [
        make_profile(
            full_name=NAMES[number % len(NAMES)],
            nik=make_nik(),
            kelurahan=KELURAHAN[number % len(KELURAHAN)],
        )
        for number in range(60)
    ]
    CadreProfile.objects.filter(pk__in=[p.pk for p in profiles[::3]]).update(
        status=Status.VERIFIED
    )
    CadreProfile.objects.filter(pk__in=[p.pk for p in profiles[1::7]]).update(
        status=Status.REJECTED
    )
    return profiles


def plain_keys(user):
    return list(selectors.cadres_for(user).values_list("pk", flat=True))


def test_the_count_is_what_the_list_holds_for_every_viewer(
    spread, kelurahan_officer, kecamatan_officer, coordinator, staff, outsider
):
    superuser = make_user(is_superuser=True, is_staff=True)
    nobody = make_user()
    counts = {}
    for user in [kelurahan_officer, kecamatan_officer, coordinator, staff, outsider, superuser]:
        counts[user.email] = selectors.cadre_count(user)
        assert counts[user.email] == selectors.cadres_for(user).count()
    assert counts[coordinator.email] == 48  # four kelurahan of Bontang out of five
    assert counts[superuser.email] == 60
    assert counts[kelurahan_officer.email] == 12
    assert selectors.cadre_count(nobody) == selectors.cadres_for(nobody).count() == 0


def test_each_window_holds_the_keys_of_the_plain_order(
    postgresql_only, spread, kelurahan_officer, kecamatan_officer, coordinator, outsider
):
    for user in [kelurahan_officer, kecamatan_officer, coordinator, outsider]:
        keys = plain_keys(user)
        for window in WINDOWS:
            assert selectors.cadre_keys_by_name(user, window) == keys[window], (user, window)


def test_a_province_a_superuser_and_sqlite_read_the_keys_from_the_list_itself(
    spread, coordinator, staff
):
    superuser = make_user(is_superuser=True, is_staff=True)
    assert selectors.cadre_keys_by_name(staff, slice(0, 25)) is None
    assert selectors.cadre_keys_by_name(superuser, slice(0, 25)) is None
    merged = selectors.cadre_keys_by_name(coordinator, slice(0, 25))
    assert (merged is None) == (connection.vendor != "postgresql")


def test_the_whole_area_list_counts_and_sorts_no_profiles_and_shows_the_same_pages(
    client, spread, coordinator
):
    client.force_login(coordinator)
    keys = plain_keys(coordinator)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("cadres:list"))
    assert [row.pk for row, _ in first.context["rows"]] == keys[:25]
    assert first.context["page"].paginator.count == len(keys) == 48
    counting = f'COUNT(*) AS "__count" FROM "{CadreProfile._meta.db_table}"'
    assert not [q["sql"] for q in queries if counting in q["sql"]]
    if connection.vendor == "postgresql":
        assert any("LATERAL" in q["sql"] for q in queries)
    second = client.get(reverse("cadres:list"), {"page": 2})
    assert [row.pk for row, _ in second.context["rows"]] == keys[25:]


def test_a_filtered_list_is_still_counted_and_sorted_from_its_rows(client, spread, coordinator):
    client.force_login(coordinator)
    waiting = list(
        selectors.cadres_for(coordinator)
        .filter(status=Status.WAITING)
        .values_list("pk", flat=True)
    )
    response = client.get(reverse("cadres:list"), {"status": Status.WAITING})
    assert [row.pk for row, _ in response.context["rows"]] == waiting[:25]
    assert response.context["page"].paginator.count == len(waiting)
    assert 0 < len(waiting) < 48
