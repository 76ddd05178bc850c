"""On PostgreSQL, the cadres who have waited longest for verification in an area come from the
index of migration cadres 0026, read in their order until five are found: an officer's or
Dinas staff's home page read and sorted every waiting cadre of the area without it
(Kalimantan Timur's 4,038 in the national seed: 25-42 ms, 0.06 ms with it)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cadres.factories import make_profile
from tests.plans import plan_of


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
