"""The admin's lists count exactly up to a threshold and take PostgreSQL's planner estimate
beyond it (forkom.pagination.EstimatedCountPaginator), and say so."""

import pytest
from django.db import connection
from django.urls import reverse

from forkom.pagination import EstimatedCountPaginator, planner_estimate
from forkom.territory.models import Region
from tests.accounts.test_admin import with_totp


def paginator(queryset, exact_up_to):
    paginator = EstimatedCountPaginator(queryset, 25)
    paginator.exact_up_to = exact_up_to
    return paginator


def analyzed_regions():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE territory_region")  # statistics as autovacuum keeps them
    return Region.objects.filter(code__startswith="64.74")


def test_on_postgresql_a_list_above_the_threshold_is_counted_by_the_planners_estimate(
    postgresql_only, bontang
):
    regions = analyzed_regions()
    estimate = planner_estimate(regions)
    assert estimate > 1
    counting = paginator(regions, exact_up_to=1)
    assert counting.count == estimate
    assert counting.count_is_estimate
    # The page still holds the real rows, even when the estimate falls short of them.
    assert len(counting.page(1).object_list) == min(25, regions.count())


def test_on_postgresql_a_list_below_the_threshold_is_counted_exactly(postgresql_only, bontang):
    regions = analyzed_regions()
    counting = paginator(regions, exact_up_to=10_000)
    assert counting.count == regions.count() == 19  # the kota, 3 kecamatan, 15 kelurahan
    assert not counting.count_is_estimate


def test_on_postgresql_a_count_past_its_time_limit_falls_back_to_the_estimate(
    postgresql_only, bontang
):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        (timeout_before,) = cursor.fetchone()
    slow = analyzed_regions().extra(where=["pg_sleep(0.01) IS NOT NULL"])
    counting = paginator(slow, exact_up_to=10_000)
    counting.count_time_limit_ms = 20  # 19 rows, 10 ms each
    assert counting.count == planner_estimate(slow)
    assert counting.count_is_estimate
    # The connection works on, with the time limit it had.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == (timeout_before,)
    assert Region.objects.filter(code="64.74").exists()


def test_on_postgresql_a_count_past_its_time_limit_is_not_tried_again_for_a_while(
    postgresql_only, bontang
):
    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext

    slow = analyzed_regions().extra(where=["pg_sleep(0.01) IS NOT NULL"])
    first = paginator(slow, exact_up_to=10_000)
    first.count_time_limit_ms = 20
    assert first.count == planner_estimate(slow)
    assert first.count_is_estimate

    def counting_queries(queryset):
        again = paginator(queryset, exact_up_to=10_000)
        again.count_time_limit_ms = 20
        with CaptureQueriesContext(connection) as queries:
            again.count  # noqa: B018  (the property runs the count)
        return again, [q["sql"] for q in queries if "statement_timeout" in q["sql"]]

    # The same list again: the estimate at once, without waiting out the limit.
    again, tried = counting_queries(slow)
    assert again.count_is_estimate
    assert not tried
    # Another list (other filters or scope) is counted as before.
    other, tried = counting_queries(slow.filter(level=Region.Level.DESA_KELURAHAN))
    assert other.count_is_estimate
    assert tried
    # Once the memory has gone (slow_count_memory seconds), the count is tried again.
    cache.clear()
    again, tried = counting_queries(slow)
    assert again.count_is_estimate
    assert tried


def test_on_postgresql_a_list_that_can_hold_nothing_counts_none(postgresql_only, bontang):
    # A staff member without a current role is scoped to pk__in=[]: nothing to EXPLAIN.
    for nothing in [Region.objects.none(), Region.objects.filter(pk__in=[])]:
        assert planner_estimate(nothing) == 0
        counting = paginator(nothing, exact_up_to=10_000)
        assert counting.count == 0
        assert not counting.count_is_estimate


def test_on_sqlite_every_list_is_counted_exactly(bontang):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's side of the same code")
    regions = Region.objects.filter(code__startswith="64.74")
    counting = paginator(regions, exact_up_to=0)
    assert counting.count == 19
    assert not counting.count_is_estimate


@pytest.mark.parametrize(
    ("language", "about"), [("id", "sekitar"), ("en", "about")], ids=["id", "en"]
)
def test_the_admin_says_about_when_its_count_is_an_estimate(
    client, postgresql_only, staff, monkeypatch, language, about
):
    analyzed_regions()
    monkeypatch.setattr(EstimatedCountPaginator, "exact_up_to", 1)
    client.force_login(with_totp(staff))
    client.cookies["django_language"] = language
    response = client.get(reverse("admin:territory_region_changelist"))
    assert response.context["cl"].paginator.count_is_estimate
    assert 'class="estimated-count"' in response.text
    assert f"{about} " in response.text.split('class="estimated-count"')[1][:400]


def test_the_admin_shows_an_exact_count_as_it_is(client, staff):
    client.force_login(with_totp(staff))
    response = client.get(reverse("admin:territory_region_changelist"))
    assert not response.context["cl"].paginator.count_is_estimate
    assert "estimated-count" not in response.text
