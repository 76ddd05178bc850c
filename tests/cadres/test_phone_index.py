"""On PostgreSQL, a number is found from the index of migration cadres 0018: a sign-in with
an activation code by number, and the admin's number search, each read every profile
without it (280 ms at national scale, 0.1 ms with it)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.activation.services import matching_profiles
from tests.accounts.test_admin import with_totp
from tests.plans import plan_of

INDEX = "cadre_phone"


def profile_queries(captured):
    return [q["sql"] for q in captured if 'FROM "cadres_cadreprofile"' in q["sql"]]


def test_a_sign_in_by_number_reads_the_phone_index(bontang, postgresql_only):
    with CaptureQueriesContext(connection) as captured:
        matching_profiles("0812-3456-7890")
    (sql,) = profile_queries(captured)
    # An index scan or a bitmap index scan, as the planner likes for the rows it expects.
    plan = plan_of(sql)
    assert re.search(rf"Index Scan (using|on) {INDEX} ", plan), plan


def test_the_admins_number_search_asks_for_the_start_of_a_number(client, staff):
    """A prefix, which the index's pattern ops serve on PostgreSQL (2.8 ms for 0812-3456 among
    Kalimantan Timur's cadres at national scale); a search for digits anywhere in the number
    could only read every profile of the area."""
    client.force_login(with_totp(staff))
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/admin/cadres/cadreprofile/nomor-hp/", {"nomor": "0812-3456"})
    assert response.status_code == 200
    (sql,) = [sql for sql in profile_queries(captured) if "ORDER BY" in sql]
    assert re.search(r""""phone"(::text)? LIKE '\+628123456%'""", sql), sql
