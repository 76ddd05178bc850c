"""On PostgreSQL, the cadres of a province or a kota in name order come from the index of
migration cadres 0020, a page at a time: the admin's list of Kalimantan Timur's 37,596
cadres read and sorted every one of them without it (15.9 ms at national scale, 0.4 ms
with it)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_profile
from tests.plans import plan_of


def test_the_admins_cadre_list_of_a_province_can_read_its_page_in_name_order(
    client, staff, postgresql_only
):
    for name in ("Siti", "Budi", "Ani"):
        make_profile(full_name=name)
    client.force_login(with_totp(staff))  # Dinas staff of Kalimantan Timur
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/cadres/cadreprofile/")
    assert response.status_code == 200
    assert [str(profile) for profile in response.context["cl"].result_list] == [
        "Ani",
        "Budi",
        "Siti",
    ]
    # The page's rows. At national scale the list reads a page's keys first, in the same
    # order under the same condition; one page of three is read whole: ask for a page.
    (sql,) = [
        q["sql"]
        for q in captured
        if q["sql"].startswith('SELECT "cadres_cadreprofile"."id"')
        and q["sql"].endswith(
            'ORDER BY "cadres_cadreprofile"."full_name" ASC, "cadres_cadreprofile"."id" ASC'
        )
    ]
    sql += " LIMIT 100"
    plan = plan_of(sql, without=("seqscan", "sort"))
    assert "cadre_name_area" in plan, plan
    assert "Sort" not in plan, plan
