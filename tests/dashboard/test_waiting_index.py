"""On PostgreSQL, the cadres who have waited longest for verification in an area come from the
index of migration cadres 0026, read in their order until five are found: an officer's or
Dinas staff's home page read and sorted every waiting cadre of the area without it
(Kalimantan Timur's 4,038 in the national seed: 25-42 ms, 0.06 ms with it). The same page
counts them from the index of migration cadres 0027, in the same statement
(forkom.statements.first_and_count)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import CadreProfile
from tests.cadres.factories import bulk_profiles, make_profile
from tests.plans import plan_of

WAITING = CadreProfile.Status.WAITING
VERIFIED = CadreProfile.Status.VERIFIED


def test_the_cadres_waiting_longest_are_read_in_their_order(client, staff, postgresql_only):
    waiting = [make_profile(full_name=name) for name in ("Siti", "Budi", "Ani")]
    client.force_login(staff)  # Dinas staff of Kalimantan Timur
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.context["work"].waiting_cadres == waiting  # oldest first
    (sql,) = [
        q["sql"]
        for q in captured
        if q["sql"].startswith('SELECT "cadres_cadreprofile"."id"')
        and 'ORDER BY "cadres_cadreprofile"."created_at" ASC' in q["sql"]
    ]
    plan = plan_of(sql, without=("seqscan", "sort"))
    assert "cadre_waiting_oldest" in plan, plan
    assert "Sort" not in plan, plan


def test_the_cadres_waiting_in_an_area_are_counted_from_their_own_index(
    client, staff, bulungan, postgresql_only
):
    """Migration cadres 0027: the home page's count reads the waiting cadres' kelurahan,
    not every cadre of the area (Kalimantan Timur's 37,596 for its 4,037 in the national
    seed: 5.5 ms, 0.9 ms with it). The planner weighs it against the other indexes from the
    table's statistics: a thousand cadres, most of another province, a fifth waiting."""
    # Twenty of Kalimantan Timur, waiting; the rest of Kalimantan Utara.
    bulk_profiles(
        1000,
        "Kader",
        kelurahan=lambda number: "64.74.03.1001" if number % 50 == 1 else "65.01.01.1001",
        status=lambda number: WAITING if number % 50 == 1 or number % 5 == 0 else VERIFIED,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cadres_cadreprofile")
    client.force_login(staff)  # Dinas staff of Kalimantan Timur
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.context["work"].waiting_cadre_count == 20
    (sql,) = [
        q["sql"]
        for q in captured
        if q["sql"].startswith('SELECT "cadres_cadreprofile"."id"') and "COUNT(" in q["sql"]
    ]
    # Without the bitmap scans, which a table of a thousand rows, never vacuumed, favours.
    plan = plan_of(sql, without=("seqscan", "bitmapscan"))
    # The count, a subquery of the rows' statement, planned once before them.
    count = plan.split("InitPlan", 1)[1].split("\n  ->", 1)[0]
    # Alone: COUNT(*) needs no column but the index's (a count of the key read each row).
    assert "Index Only Scan using cadre_waiting_area" in count, plan
