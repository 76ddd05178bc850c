"""On PostgreSQL, a forum's timeline joins the people of its latest events only, also in the
plan PostgreSQL keeps for the statement after its fifth run, which it plans for any forum
from the average forum's handful of events. Written as one query, that plan joined the
people of all of a busy forum's events before keeping the latest fifty: for the national
seed's forum of 315 events it ran in 3.8 ms, where a plan for that forum took 1.3 ms."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from bench import generic_plans
from cadres.forums import selectors
from cadres.forums import services as forum_services
from cadres.models import ForumEvent
from forkom.territory.models import Region

BUSY = "64.74.03"
JOINS = ("Nested Loop", "Hash Join", "Merge Join")


def add_events(forum, count, actor):
    start = timezone.now() - timedelta(days=30)
    ForumEvent.objects.bulk_create(
        ForumEvent(
            forum=forum,
            kind=ForumEvent.Kind.MEMBER_ADDED,
            actor=actor,
            subject=actor,
            at=start + timedelta(minutes=number),
        )
        for number in range(count)
    )


def generic_plan(statement, value):
    """EXPLAIN ANALYZE of the kept statement as PostgreSQL runs it once it plans it for any
    value (plan_cache_mode = force_generic_plan), for `value`."""
    sql, count = generic_plans.for_prepare(statement.sql)
    params = [value if at in statement.at else param for at, param in enumerate(statement.params)]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE timeline_plan AS {sql}")
        try:
            marks = ", ".join(["%s"] * count)
            cursor.execute(
                f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE timeline_plan({marks})", params
            )
            return cursor.fetchone()[0][0]["Plan"]
        finally:
            cursor.execute("DEALLOCATE timeline_plan")


def nodes(plan):
    yield plan
    for inner in plan.get("Plans", ()):
        yield from nodes(inner)


def test_a_busy_forums_timeline_joins_its_latest_events_only(kecamatan_officer, postgresql_only):
    # Every other forum of Bontang with one event, the busy one with many more than its
    # timeline shows: the average forum has few, as in the national seed.
    for region in Region.objects.filter(code__startswith="64.74.").exclude(code=BUSY):
        add_events(forum_services.get_or_create_forum(region=region), 1, kecamatan_officer)
    busy = forum_services.get_or_create_forum(region=Region.objects.get(code=BUSY))
    add_events(busy, selectors.TIMELINE_LENGTH * 3, kecamatan_officer)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cadres_forumevent")

    plan = generic_plan(selectors._timeline_statement(connection.alias).statement, BUSY)

    joined = [
        node["Actual Rows"] * node["Actual Loops"]
        for node in nodes(plan)
        if node["Node Type"] in JOINS
    ]
    assert joined, plan
    assert max(joined) <= selectors.TIMELINE_LENGTH, plan
    # And the timeline is the latest fifty, newest first.
    shown = [event.at for event in selectors.timeline(busy.region)]
    latest = ForumEvent.objects.filter(forum=busy).order_by("-at")
    assert shown == [event.at for event in latest[: selectors.TIMELINE_LENGTH]]
