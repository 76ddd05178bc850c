"""Querysets compiled once and run many times with one value changed.

Some queries run on every signed-in request with only an id changing: the user's row
(forkom.accounts.models.ForkomUserManager.get) and their current roles (forkom.scope.grants);
others on every page of a cadre (their own profile, cadres.selectors.own_profile).
Building and compiling such a queryset took longer than running it. A Statement is its SQL,
compiled once with PLACEHOLDER where the value goes; its rows are read afresh every time and
converted as the ORM converts them. Only the SQL is kept, never a row.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any
from uuid import UUID

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import (
    BigIntegerField,
    F,
    Func,
    Model,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.query import ModelIterable, get_related_populators

# Stands for the value in the compiled statement: no row has it as an id.
PLACEHOLDER = -424_242
# The same for a text key (a region's code): no code is written so.
TEXT_PLACEHOLDER = str(PLACEHOLDER)
# The same for a public id (a UUID).
UUID_PLACEHOLDER = UUID(int=424_242)
# Stands for a second value, a moment (the request's "now"), compared with a date-time
# column: no row holds a time so long before the portal.
MOMENT_PLACEHOLDER = datetime(1900, 1, 1, 4, 24, 24, 424_242, tzinfo=UTC)
# Stands for the second whole number of a key of two columns (a meeting and a person), as
# PLACEHOLDER for the first: no row has it as an id either.
SECOND_PLACEHOLDER = -434_343
# The keys a whole-number column holds (PostgreSQL's bigint): a number outside is no row's
# key, and the database would refuse it rather than find nothing.
KEY_RANGE = (-(2**63), 2**63 - 1)


@dataclass(frozen=True)
class Statement:
    alias: str
    sql: str
    params: tuple[Any, ...]
    at: tuple[int, ...]  # where the value goes in params (the same value at each)
    columns: tuple[Any, ...]  # the selected columns, for their converters
    moment_at: tuple[int, ...] = ()  # where the moment goes, if the statement has one
    second_at: tuple[int, ...] = ()  # where the second value goes, if it has one
    # A fixed statement's values written into its SQL (PostgreSQL, prepared): sent without
    # parameters, so that the plan kept for it is made for them (see prepared_cursor).
    written: bool = False


def compiled(queryset: QuerySet[Any]) -> Statement:
    """`queryset`, which filters on PLACEHOLDER (or TEXT_PLACEHOLDER, UUID_PLACEHOLDER),
    compiled for its database. Each run gives the placeholder one value, wherever it stands,
    MOMENT_PLACEHOLDER, where the queryset compares a date-time column with it, a moment,
    and SECOND_PLACEHOLDER, where a key has a second whole number, that number."""
    return _compiled(queryset)[0]


def _compiled(queryset: QuerySet[Any], *, fixed: bool = False) -> tuple[Statement, Any]:
    alias = queryset.db
    compiler = queryset.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    params = tuple(params)
    places = [
        at
        for at, param in enumerate(params)
        if (type(param) in (int, str) and param in (PLACEHOLDER, TEXT_PLACEHOLDER))
        # A UUID as the database takes it: itself (PostgreSQL), 32 hex digits (SQLite).
        or (type(param) in (UUID, str) and param in (UUID_PLACEHOLDER, UUID_PLACEHOLDER.hex))
    ]
    if not places and not fixed:
        raise ValueError(f"the placeholder is not in the statement: {sql!r} {params!r}")
    if places and fixed:
        raise ValueError(f"a fixed statement takes no value: {sql!r} {params!r}")
    # As the database takes a date-time: an aware datetime (PostgreSQL), UTC text (SQLite).
    moment = connections[alias].ops.adapt_datetimefield_value(MOMENT_PLACEHOLDER)
    moments = tuple(
        at for at, param in enumerate(params) if type(param) is type(moment) and param == moment
    )
    seconds = tuple(
        at for at, param in enumerate(params) if type(param) is int and param == SECOND_PLACEHOLDER
    )
    columns = tuple(column for column, _sql, _alias in compiler.select)
    if fixed and not seconds and prepares(connections[alias]):
        if not moments:
            return _written(alias, sql, params, columns), compiler
        # Its values written in, the moment left a parameter of its own (each run's "now").
        sql, params, moments = _written_but_moment(alias, sql, params, moments)
    statement = Statement(alias, sql, params, tuple(places), columns, moments, seconds)
    return statement, compiler


def fixed_sql(alias: str, sql: str, params: Sequence[Any]) -> Statement:
    """A statement of raw `sql` whose `params` are the same on every run (the menu's counts,
    one SELECT of several), its values written in as _compiled writes a fixed queryset's.
    Run it with rows(statement, None); its columns come as the database gives them."""
    if prepares(connections[alias]):
        return _written(alias, sql, tuple(params), ())
    return Statement(alias, sql, tuple(params), (), ())


def _written(alias: str, sql: str, params: tuple[Any, ...], columns: tuple[Any, ...]) -> Statement:
    # As Django's client-side binding sends them: a code prefix (LIKE '64.74.%') is planned
    # as an index range, which a plan for any value could not be. Sent without parameters,
    # its % signs as they stand.
    written = connections[alias].ops.compose_sql(sql, params)  # type: ignore[attr-defined]
    return Statement(alias, written, (), (), columns, written=True)


# Stands for the moment while a fixed statement's other values are written into its SQL.
_MOMENT_MARK = "forkom-moment-424242"


def _written_but_moment(
    alias: str, sql: str, params: tuple[Any, ...], moments: tuple[int, ...]
) -> tuple[str, tuple[Any, ...], tuple[int, ...]]:
    """`sql` with its values written in as compose_sql writes them, but for the moment,
    which stays a parameter at each place it was (so the moment's places become 0, 1...):
    a fixed statement that compares with the request's "now" (the training catalogue) is
    planned for its code prefix as the others are."""
    marked = tuple(_MOMENT_MARK if at in moments else param for at, param in enumerate(params))
    composed = connections[alias].ops.compose_sql(sql, marked)  # type: ignore[attr-defined]
    quoted = f"'{_MOMENT_MARK}'"
    if composed.count(quoted) != len(moments):
        raise ValueError(f"the moment is not where it was: {sql!r} {params!r}")
    # The written SQL runs with parameters again: its own % signs doubled.
    written = composed.replace("%", "%%").replace(quoted, "%s")
    return written, tuple(params[at] for at in moments), tuple(range(len(moments)))


def rows(
    statement: Statement, value: Any, moment: datetime | None = None, second: int | None = None
) -> list[list[Any]]:
    """The statement's rows for `value` (and `moment`, if it has MOMENT_PLACEHOLDER, and
    `second`, if it has SECOND_PLACEHOLDER), each value as the ORM gives it (SQLite's
    dates)."""
    connection = connections[statement.alias]
    if isinstance(value, UUID) and not connection.features.has_native_uuid_field:
        value = value.hex  # as the placeholder was
    params = list(statement.params)
    for at in statement.at:
        params[at] = value
    if statement.moment_at:
        if moment is None:
            raise ValueError("the statement compares a date-time with a moment: give it one")
        adapted = connection.ops.adapt_datetimefield_value(moment)
        for at in statement.moment_at:
            params[at] = adapted
    if statement.second_at:
        if type(second) is not int:
            raise ValueError("the statement reads a key of two numbers: give it the second")
        for at in statement.second_at:
            params[at] = second
    with prepared_cursor(connection) as cursor:
        # No parameters (None): the SQL is sent as it is, its % signs as they stand.
        cursor.execute(statement.sql, None if statement.written else params)
        fetched = cursor.fetchall()
    converters = [
        (position, column, converts)
        for position, column in enumerate(statement.columns)
        if (
            converts := connection.ops.get_db_converters(column)
            + column.get_db_converters(connection)
        )
    ]
    result = []
    for row in fetched:
        values = list(row)
        for position, column, converts in converters:
            for convert in converts:
                values[position] = convert(values[position], column, connection)
        result.append(values)
    return result


@dataclass(frozen=True)
class ModelStatement:
    """A Statement whose rows become model instances, with their select_related rows and
    annotations, as the ORM's ModelIterable makes them. Everything but the rows is worked
    out once, when the statement is compiled."""

    statement: Statement
    model: Any
    names: tuple[str, ...]  # the model's columns, as from_db takes them
    columns: slice  # where they are in a row
    populators: tuple[Any, ...]  # the select_related rows (no state of their own, no peers)
    annotations: tuple[tuple[str, int], ...]  # (attribute, position in the row)
    fetch_mode: Any


def compiled_models(queryset: Any, *, fixed: bool = False) -> ModelStatement:
    """`queryset`, which filters on PLACEHOLDER, compiled for its database; its rows are
    read by `instances`. Prefetching, known related objects, values() and a fetch mode that
    tracks peers are not supported.

    A `fixed` queryset has no placeholder: its values are written into it when it is built
    (a region's ancestors and subtree, which are not one value to put in), and `instances`
    runs it with the value None. Keep one per value it was built for, in a cache of bounded
    size (functools.lru_cache)."""
    if (
        queryset._prefetch_related_lookups
        or queryset._known_related_objects
        or queryset._iterable_class is not ModelIterable
        or queryset._fetch_mode.track_peers
    ):
        raise ValueError(f"cannot keep {queryset.query}: plain model rows only")
    statement, compiler = _compiled(queryset, fixed=fixed)
    klass_info, select = compiler.klass_info, compiler.select
    fields = klass_info["select_fields"]
    columns = slice(fields[0], fields[-1] + 1)
    return ModelStatement(
        statement,
        klass_info["model"],
        tuple(column[0].target.attname for column in select[columns]),
        columns,
        tuple(get_related_populators(klass_info, select, statement.alias, queryset._fetch_mode)),
        tuple((compiler.annotation_col_map or {}).items()),
        queryset._fetch_mode,
    )


# How many statements a store of one per viewer keeps (Kept): a kept model statement takes
# about 30 KiB (tracemalloc, a home page's list with its count), so at most 8 MiB a store;
# past it a viewer's statement is compiled again, as every visit did before.
PER_VIEWER = 256


class Kept[T]:
    """Statements kept by a key of their own (a viewer's: forkom.scope.viewer_key), at most
    `size`: past it the oldest half is dropped. Only the statements, never a row."""

    def __init__(self, size: int = PER_VIEWER) -> None:
        self.size = size
        self._kept: dict[Any, T] = {}

    def get(self, key: Any, build: Callable[[], T]) -> T:
        try:
            return self._kept[key]
        except KeyError:
            pass
        if len(self._kept) >= self.size:
            for old in list(self._kept)[: self.size // 2]:
                self._kept.pop(old, None)
        kept = self._kept[key] = build()
        return kept


def kept_instances(
    store: Kept[ModelStatement | None],
    key: Any,
    queryset: Callable[[], QuerySet[Any]],
    moment: datetime | None = None,
) -> list[Any]:
    """The rows of `queryset()` as model instances, read afresh through one statement kept in
    `store` by `key`. `queryset` is called only for a new key and must depend on nothing
    else (a viewer's: forkom.scope.viewer_key); its values are written into the statement
    (fixed), so that each is planned for its own (a region's code prefix). Where it compares
    with MOMENT_PLACEHOLDER, `moment` takes its place on each run. A queryset that can match
    nothing (a viewer without the roles) is no statement, and no row."""

    kept = _kept(store, key, lambda: compiled_models(queryset(), fixed=True))
    return [] if kept is None else instances(kept, None, moment)


def kept_rows(
    store: Kept[Statement | None], key: Any, queryset: Callable[[], QuerySet[Any]]
) -> list[list[Any]]:
    """The rows of `queryset()` (values_list), as `rows` reads them, through one statement
    kept in `store` by `key`, as kept_instances keeps its own."""

    kept = _kept(store, key, lambda: _compiled(queryset(), fixed=True)[0])
    return [] if kept is None else rows(kept, None)


def _kept[S](store: Kept[S | None], key: Any, compile: Callable[[], S]) -> S | None:
    """The statement kept in `store` by `key`, compiled the first time; None for a queryset
    that can match nothing (a viewer without the roles)."""

    def build() -> S | None:
        try:
            return compile()
        except EmptyResultSet:
            return None

    return store.get(key, build)


# The attribute that first_and_count gives its rows: how many rows the queryset has in all.
TOTAL = "kept_total"


def _with_total(found: list[Any], prefetch: Sequence[Any]) -> tuple[list[Any], int]:
    """The rows and their count (with no row there is nothing to count), after the
    `prefetch` lookups (a kept statement reads no prefetch) are read for them."""
    if prefetch:
        prefetch_related_objects(found, *prefetch)
    return found, (getattr(found[0], TOTAL) if found else 0)


def count_of(queryset: QuerySet[Any]) -> Subquery:
    """How many rows `queryset` has, as a subquery for an annotation: COUNT(*), not of a
    column, so that an index without it (a partial index of the waiting cadres' kelurahan)
    can answer alone; a Func, not an aggregate, so no GROUP BY."""
    return Subquery(
        queryset.order_by().values(total=Func(template="COUNT(*)", output_field=BigIntegerField()))
    )


def first_and_count(
    store: Kept[ModelStatement | None],
    key: Any,
    queryset: Callable[[], QuerySet[Any]],
    limit: int,
    moment: datetime | None = None,
    prefetch: Sequence[Any] = (),
) -> tuple[list[Any], int]:
    """The first `limit` rows of `queryset()`, as kept_instances reads them, and how many
    rows it has in all, in the same statement: its count is a subquery run once (with no
    row there is nothing to count); then the rows' `prefetch` lookups. A home page's short
    lists ("3 cadres wait: the oldest five") asked the ORM for a count and for the rows,
    each built and compiled on every visit."""

    def counted() -> QuerySet[Any]:
        rows = queryset()
        return rows.annotate(**{TOTAL: count_of(rows)})[:limit]

    found = kept_instances(store, ("rows and count", key, limit), counted, moment)
    return _with_total(found, prefetch)


def page_and_count(
    store: Kept[ModelStatement | None],
    key: Any,
    page: Callable[[], QuerySet[Any]],
    whole: Callable[[], QuerySet[Any]],
    prefetch: Sequence[Any] = (),
) -> tuple[list[Any], int]:
    """The rows of `page()`, the first page of `whole()` read by its keys first (as
    programs.selectors.public_rows reads a page), and how many rows `whole()` has, in one
    statement kept as first_and_count keeps its own. The first page of a list that every
    visitor opens, with its count, was two statements built and compiled on every visit."""
    found = kept_instances(
        store, ("page and count", key), lambda: page().annotate(**{TOTAL: count_of(whole())})
    )
    return _with_total(found, prefetch)


def first_kept(
    store: Kept[ModelStatement | None],
    key: Any,
    queryset: Callable[[], QuerySet[Any]],
    limit: int,
) -> list[Any]:
    """The first `limit` rows of `queryset()`, as first_and_count reads them, without a
    count: for a short queue that shows no number."""
    return kept_instances(store, ("rows", key, limit), lambda: queryset()[:limit])


def related(manager: Any, *select_related: str) -> list[Any]:
    """`list(manager.select_related(*select_related))` for the related manager of one saved
    instance (`proposal.events`, `proposal.team`), read through a statement compiled once per
    relation and database: building and compiling the manager's queryset took longer than
    running it (0.6-1.0 ms against 0.3 ms for a proposal's events). The rows come in the
    model's default order, and a reverse foreign key's rows point back at the instance
    without reading it again, as the manager's do. Rows prefetched for the instance are the
    manager's to give."""
    instance = manager.instance
    [(lookup, value)] = manager.core_filters.items()
    reverse_key = isinstance(value, Model)
    if reverse_key:  # a reverse foreign key filters on the instance: the key it points at
        [value] = manager.field.get_foreign_related_value(value)
    if getattr(instance, "_prefetched_objects_cache", None) or type(value) not in (int, str):
        queryset = manager.select_related(*select_related) if select_related else manager.all()
        return list(queryset)
    text = isinstance(value, str)
    kept = _related_statement(manager.db, manager.model, lookup, text, select_related)
    rows = instances(kept, value)
    if reverse_key:
        for row in rows:
            manager.field.set_cached_value(row, instance)
    return rows


@cache
def _related_statement(
    alias: str, model: Any, lookup: str, text: bool, select_related: tuple[str, ...]
) -> ModelStatement:
    placeholder = TEXT_PLACEHOLDER if text else PLACEHOLDER
    queryset = model._default_manager.db_manager(alias).filter(**{lookup: placeholder})
    return compiled_models(
        queryset.select_related(*select_related) if select_related else queryset
    )


def instances(
    kept: ModelStatement, value: Any, moment: datetime | None = None, second: int | None = None
) -> list[Any]:
    """The kept statement's rows for `value` (and `moment`, `second`), read afresh, as model
    instances."""
    alias, names, fetch_mode = kept.statement.alias, list(kept.names), kept.fetch_mode
    found = []
    for row in rows(kept.statement, value, moment, second):
        instance = kept.model.from_db(alias, names, row[kept.columns], fetch_mode=fetch_mode)
        for populator in kept.populators:
            populator.populate(row, instance)
        for attribute, position in kept.annotations:
            setattr(instance, attribute, row[position])
        found.append(instance)
    return found


def first(
    kept: ModelStatement, value: Any, moment: datetime | None = None, second: int | None = None
) -> Any | None:
    """The first of `instances(kept, value, moment, second)`, or None when there is none: a
    row read by its key."""
    found = instances(kept, value, moment, second)
    return found[0] if found else None


def one_by(
    model: Any,
    field: str,
    value: Any,
    *select_related: str,
    annotate: tuple[tuple[str, str], ...] = (),
    second: tuple[str, int] | None = None,
) -> Any | None:
    """The row of `model` whose unique `field` is `value` (a whole number, a text or a UUID),
    with the related rows of `select_related` and, for each (attribute, path) of `annotate`,
    the value at that path as an attribute, or None: read afresh through a statement
    compiled once per model, field, related rows, annotations and database. For the row a
    page reads by the key in its address before it asks whether the viewer may see it. A
    key of two columns gives its second, a whole-number column, as `second` (field,
    number): a meeting's invitation of a person. A number outside KEY_RANGE, or a text with
    a NUL character, is no row's key: None, without asking the database, which would refuse
    it. A model whose default manager reads more than plain rows raises ValueError
    (compiled_models)."""
    if type(value) is int:
        if not KEY_RANGE[0] <= value <= KEY_RANGE[1]:
            return None
        placeholder: Any = PLACEHOLDER
    elif type(value) is str:
        if "\x00" in value:
            return None
        placeholder = TEXT_PLACEHOLDER
    elif isinstance(value, UUID):
        placeholder = UUID_PLACEHOLDER
    else:
        raise TypeError(f"a key to read by is a whole number, a text or a UUID: {value!r}")
    second_field, second_value = second if second is not None else (None, None)
    if second_field is not None:
        if type(second_value) is not int:
            raise TypeError(f"a key's second column is read by a whole number: {second!r}")
        if not KEY_RANGE[0] <= second_value <= KEY_RANGE[1]:
            return None
    kept = _one_by_statement(
        model._default_manager.db,
        model,
        field,
        placeholder,
        select_related,
        annotate,
        second_field,
    )
    return first(kept, value, second=second_value)


@cache
def _one_by_statement(
    alias: str,
    model: Any,
    field: str,
    placeholder: Any,
    select_related: tuple[str, ...],
    annotate: tuple[tuple[str, str], ...],
    second_field: str | None,
) -> ModelStatement:
    # One row by a unique key: no order to sort it in.
    key = {field: placeholder}
    if second_field is not None:
        key[second_field] = SECOND_PLACEHOLDER
    queryset = model._default_manager.db_manager(alias).filter(**key).order_by()
    if select_related:
        queryset = queryset.select_related(*select_related)
    if annotate:
        queryset = queryset.annotate(**{name: F(path) for name, path in annotate})
    return compiled_models(queryset)


def locked(model: Any, pk: int, *, no_key: bool = False) -> Any | None:
    """The row of `model` whose primary key is `pk` as stored now, or None, its row held
    until the transaction ends: SELECT ... FOR UPDATE (FOR NO KEY UPDATE with `no_key`:
    rows that point at it may still be written). On the database writes go to, as a
    select_for_update queryset asks the router (a read could go to a replica). Compiled once
    per model, kind of lock and database: the row a hot write locks first (a sign-up)."""
    alias = router.db_for_write(model)
    return first(_locked_statement(alias, model, no_key), pk)


@cache
def _locked_statement(alias: str, model: Any, no_key: bool) -> ModelStatement:
    return compiled_models(
        model._default_manager.using(alias)
        .select_for_update(no_key=no_key)
        .filter(pk=PLACEHOLDER)
        .order_by()
    )


def prepares(connection: BaseDatabaseWrapper) -> bool:
    """Whether `connection` prepares what prepared_cursor runs: PostgreSQL, unless
    DATABASE_PREPARED_STATEMENTS turned it off (forkom.env)."""
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict["OPTIONS"].get("prepare_threshold") is not None
    )


@contextmanager
def prepared_cursor(connection: BaseDatabaseWrapper) -> Iterator[CursorWrapper]:
    """A cursor whose statements PostgreSQL parses and plans once per connection: the next
    run on the same connection skips straight to executing the plan kept from the first.

    For the few statements of every request, run the same way many times. A statement with
    parameters gets PostgreSQL's own choice between a plan for its values and one for any
    (fine for a key looked up; not for a code prefix, which should be written into the
    statement: see forkom.menu_counts). psycopg keeps up to 100 per connection and deallocates
    the least recently used. Each run is counted and logged as any query (Django's cursor
    wrapper). Elsewhere (SQLite, preparation turned off), Django's usual cursor."""
    if not prepares(connection):
        with connection.cursor() as cursor:
            yield cursor
        return
    # What Django's connection.cursor() does first, then its wrapper around another cursor.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = _prepared_cursor_class()(connection.connection)
    wrapped = (
        _LoggedCursor(raw, connection)
        if connection.queries_logged
        else connection.make_cursor(raw)
    )
    with wrapped:
        yield wrapped


class _LoggedCursor(CursorDebugWrapper):
    """Django's logging cursor wrapper, logging the statement with its values written in as
    for Django's own cursors. Django's asks psycopg for the query last sent, which psycopg
    does not keep for a prepared statement, and logged "QUERY = '...' - PARAMS = (...)"."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        shown = sql if params is None else self.db.ops.compose_sql(sql, params)
        with self.debug_sql(shown, params):
            return CursorWrapper.execute(self, sql, params)


@cache
def _prepared_cursor_class() -> type:
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        """Django's psycopg cursor binding on the server, preparing every statement."""

        def execute(self, query, params=None, *, prepare=None, binary=None):  # type: ignore[no-untyped-def]
            return super().execute(query, params, prepare=True, binary=binary)  # type: ignore[misc]

    return PreparedCursor
