"""`make bench-plans` (bench/generic_plans.py) keeps working as the kept statements change: it
notes the statements a page runs through the prepared cursor, runs each with the plan
PostgreSQL keeps and with one made for its values, and reports a kept plan only when it is
slower both by time and by ratio. Its run needs the national seed; these need none."""

from django.urls import reverse

from bench import generic_plans
from forkom import statements


def test_the_statements_of_a_page_are_noted_and_timed_both_ways(client, cadre, postgresql_only):
    prepared_cursor = statements.prepared_cursor
    client.force_login(cadre)
    with generic_plans.noting() as noted:
        assert client.get(reverse("home")).status_code == 200
    assert statements.prepared_cursor is prepared_cursor  # put back
    # Every signed-in page reads the person's account and roles through kept statements.
    assert any('FROM "accounts_user"' in sql for sql in noted), list(noted)
    assert any('FROM "accounts_roleassignment"' in sql for sql in noted), list(noted)
    for sql, params in noted.items():
        kept, planned = generic_plans.timed(sql, params, runs=2)
        assert kept > 0, sql
        assert planned > 0, sql


def test_a_kept_plan_is_reported_only_when_slower_by_time_and_by_ratio():
    rows = [
        (3.8, 1.3, "the timeline before"),  # 2.5 ms and 2.9 times slower
        (1.0, 0.4, "twice as slow"),
        (0.9, 0.5, "not by 0.5 ms"),
        (3.0, 2.4, "not 1.5 times"),
        (0.3, 0.4, "quicker"),
    ]
    assert [sql for _kept, _planned, sql in generic_plans.slower_kept(rows, 0.5, 1.5)] == [
        "the timeline before",
        "twice as slow",
    ]
