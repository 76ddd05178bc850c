"""Pagination that stays fast deep into a large, scoped list."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import OperationalError, connections, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property


class KeysFirstPaginator(Paginator):
    """Finds a page's primary keys first, then reads only that page's rows by key.

    A plain `LIMIT 25 OFFSET n` over a list that joins other tables and is sorted by name
    makes the database fetch and sort every row of the area (a kota's ten thousand cadres,
    one heap page each) to keep 25. Asking for the keys alone lets it read a covering index
    (cadres.CadreProfile's area-and-name index) and sort there; the second query then reads
    25 rows by primary key, with the joins the page shows. Same rows, same order, same count.

    A list may know a quicker way to both (cadres.selectors.cadre_count and
    cadre_keys_by_name): `count` is then the count, and `keys(window)` the window's keys in
    the queryset's order, or None to read them from the queryset after all.
    """

    object_list: Any  # a QuerySet: the keys are read with values_list

    def __init__(
        self,
        *args: Any,
        count: int | None = None,
        keys: Callable[[slice], list[Any] | None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if count is not None:
            self.count = count  # Paginator.count is a cached_property: this is its value
        self.keys = keys

    def page(self, number: Any) -> Page[Any]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        # An estimated count (EstimatedCountPaginator) may fall short: never cut a page at it.
        if top + self.orphans >= self.count and not getattr(self, "count_is_estimate", False):
            top = self.count
        return self._get_page(  # type: ignore[attr-defined]  # Django's own page factory
            rows_by_keys_first(self.object_list, slice(bottom, top), self.keys), number, self
        )


def rows_by_keys_first(
    queryset: QuerySet[Any],
    window: slice,
    find_keys: Callable[[slice], list[Any] | None] | None = None,
) -> list[Any]:
    """The rows of `queryset` in `window`, in its order: their primary keys first, then the
    rows by key (KeysFirstPaginator says why)."""
    keys = find_keys(window) if find_keys else None
    if keys is None:
        keys = list(queryset.values_list("pk", flat=True)[window])
    rows = {row.pk: row for row in queryset.filter(pk__in=keys)}
    return [rows[key] for key in keys if key in rows]


def first_rows(queryset: QuerySet[Any], limit: int) -> tuple[list[Any], bool]:
    """The first `limit` rows of `queryset`, and whether more follow: one query, which reads
    one row past them instead of counting (a search's first answers)."""
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def first_page_asked(request: HttpRequest) -> bool:
    """Whether the request asks for a list's first page (no page named, or the first)."""
    return request.GET.get("page", "1") == "1"


def first_page(rows: list[Any], total: int, per_page: int) -> Page[Any]:
    """A list's first page whose rows and count of all were read together (a statement kept
    with forkom.statements.page_and_count or first_and_count), as Paginator would give it."""
    paginator = Paginator(rows, per_page)
    paginator.count = total  # Paginator.count is a cached_property: this is its value
    return Page(rows, 1, paginator)


def filters_query(request: HttpRequest) -> str:
    """The list's filters as a query string without the page, for its export links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class EstimatedCountPaginator(Paginator):
    """Counts a long list from PostgreSQL's planner instead of reading every row.

    The admin counts each list to number its pages: on the national seed, the user list of a
    province took over a second for its count alone. On PostgreSQL this paginator first asks
    the planner how many rows the list's query returns (EXPLAIN reads the table statistics,
    pg_class.reltuples and the column histograms, without running it): above `exact_up_to`
    that estimate is the count. Otherwise the rows are counted, under a time limit; a count
    that runs past it (a query the planner underestimated) falls back to the estimate as
    well, and is not tried again for `slow_count_memory` seconds: the same list, with the
    same filters and scope, went on waiting out the limit on every page (a province's
    accounts: 50 ms of each page view). `count_is_estimate` tells the page to say "about".
    SQLite always counts.
    """

    exact_up_to = 10_000
    count_time_limit_ms = 50
    slow_count_memory = 600

    object_list: Any  # a QuerySet: explained and counted on its own database

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.count_is_estimate = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return queryset.count()
        counted_sql = _count_sql(queryset)
        estimate = _estimate(queryset.db, counted_sql)
        if estimate > self.exact_up_to:
            self.count_is_estimate = True
            return estimate
        slow = _slow_count_key(queryset.db, counted_sql)
        if slow and cache.get(slow):  # counted past the limit a short while ago
            self.count_is_estimate = True
            return estimate
        counted = self._count_within_time_limit(connection)
        if counted is None:
            if slow:
                cache.set(slow, True, self.slow_count_memory)
            self.count_is_estimate = True
            return estimate
        return counted

    def _count_within_time_limit(self, connection: Any) -> int | None:
        queryset = self.object_list
        try:
            with transaction.atomic(using=queryset.db):
                with connection.cursor() as cursor:
                    # An integer of ours, not user input; SET takes no parameters.
                    cursor.execute(
                        f"SET LOCAL statement_timeout = {int(self.count_time_limit_ms)}"
                    )
                counted = queryset.count()
                # Rolling back (to the savepoint, inside a request's transaction) also undoes
                # the SET LOCAL, which a release would keep until the transaction's end.
                transaction.set_rollback(True, using=queryset.db)
                return counted
        except OperationalError:  # the time limit: PostgreSQL cancelled the count
            return None

    def page(self, number: Any) -> Page[Any]:
        if not self.count_is_estimate:
            return super().page(number)
        # An estimate may fall short of the real rows: never cut the last page at it.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(  # type: ignore[attr-defined]  # Django's own page factory
            self.object_list[bottom : bottom + self.per_page], number, self
        )


class EstimatedKeysFirstPaginator(KeysFirstPaginator, EstimatedCountPaginator):
    """Both: the count estimated when long, the page's keys read first."""


def _count_sql(queryset: QuerySet[Any]) -> tuple[str, Any] | None:
    """The SQL and parameters of `queryset` without its order, as it is estimated and
    counted; None for a list that can hold nothing (none(), pk__in=[]): no query."""
    try:
        return queryset.order_by().query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None


def _slow_count_key(db: str, counted_sql: tuple[str, Any] | None) -> str:
    """The cache key that remembers a count of this query (its SQL and parameters, which
    hold the viewer's scope and filters) as too slow; "" for a query that holds nothing."""
    if counted_sql is None:
        return ""
    digest = hashlib.sha256(repr((db, *counted_sql)).encode()).hexdigest()
    return f"forkom:slow-count:{digest}"


def planner_estimate(queryset: QuerySet[Any]) -> int:
    """The number of rows PostgreSQL's planner expects `queryset` to return (EXPLAIN)."""
    return _estimate(queryset.db, _count_sql(queryset))


def _estimate(db: str, counted_sql: tuple[str, Any] | None) -> int:
    if counted_sql is None:
        return 0
    sql, params = counted_sql
    with connections[db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class LookaheadPage(Page):
    """A page that knows whether another follows from one row read past its end."""

    def __init__(self, object_list: Any, number: int, paginator: Any, more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class LookaheadPaginator(Paginator):
    """Pages without a count: each page reads one row more than it shows, to tell whether
    another follows. For lists that only go "more" (the admin's autocomplete, asked again on
    each key typed): counting a province's cadres whose name holds "siti" took as long as
    finding them (50 ms on the national seed). `count` is only read for a "last" page."""

    # Past this the offset is no page anyone reaches by scrolling, and the database's
    # bigint would overflow on a forged one.
    max_page = 100_000

    object_list: Any  # a QuerySet: its keys are read first

    def validate_number(self, number: Any) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError, OverflowError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number > self.max_page:
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number: Any) -> Page[Any]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        window = slice(bottom, bottom + self.per_page + 1)
        if self.object_list.query.distinct:
            # DISTINCT cannot sort by columns it does not select: the rows at once.
            rows = list(self.object_list[window])
        else:
            rows = rows_by_keys_first(self.object_list, window)
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return LookaheadPage(rows[: self.per_page], number, self, len(rows) > self.per_page)
