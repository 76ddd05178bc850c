"""Read settings from environment variables.

Each helper raises ImproperlyConfigured on a malformed value, naming the
variable, so that a typo in a deployment fails at start-up and not at the
first request.
"""

import os
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

_REQUIRED = object()
# The environment to read (os.environ when None): tests pass their own.
Environ = Mapping[str, str] | None


def env_str(name: str, default: Any = _REQUIRED, environ: Environ = None) -> Any:
    environ = os.environ if environ is None else environ
    value = environ.get(name)
    if value is None:
        if default is _REQUIRED:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool, environ: Environ = None) -> bool:
    raw = env_str(name, None, environ)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def env_int(name: str, default: int, environ: Environ = None, minimum: int | None = None) -> int:
    raw = env_str(name, None, environ)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def _optional(name: str, default: Any, environ: Environ, parse: Callable[[str], Any]) -> Any:
    """parse() of the variable's value; `default` when it is unset, None when it is empty."""
    raw = env_str(name, None, environ)
    if raw is None:
        return default
    if not raw.strip():
        return None
    return parse(raw)


def env_bounded_int(
    name: str, default: int | None, minimum: int, maximum: int, environ: Environ = None
) -> int | None:
    """A whole number from `minimum` to `maximum`; an empty value means none (None)."""

    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            value = minimum - 1
        if not minimum <= value <= maximum:
            raise ImproperlyConfigured(
                f"{name}={raw!r} is not a whole number from {minimum} to {maximum}."
            )
        return value

    return _optional(name, default, environ, parse)


def env_positive_number(name: str, default: float | None, environ: Environ = None) -> Any:
    """A number above zero; an empty value means none (None)."""

    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            value = 0
        if not value > 0:
            raise ImproperlyConfigured(f"{name}={raw!r} is not a positive number.")
        return value

    return _optional(name, default, environ, parse)


def env_list(name: str, default: list[str], environ: Environ = None) -> list[str]:
    """A comma-separated list; blanks around items are dropped."""
    raw = env_str(name, None, environ)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_origins(name: str, default: list[str], environ: Environ = None) -> list[str]:
    """A list of scheme://host[:port] origins, as CSRF_TRUSTED_ORIGINS wants."""
    origins = env_list(name, default, environ)
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path:
            raise ImproperlyConfigured(
                f"{name}: {origin!r} is not an origin like https://forkom.example.id."
            )
    return origins


PG_RANDOM_PAGE_COST = 1.1
PG_PARALLEL_WORKERS = 0
PG_CURSOR_TUPLE_FRACTION = 1.0
# psycopg's prepare_threshold: prepare a statement automatically after this many runs on a
# connection (never, in effect), or when the caller asks (forkom.statements.prepared_cursor).
PREPARE_ONLY_WHEN_ASKED = 2**31 - 1
# Django's PostgreSQL backend with a health check that needs no round trip.
POSTGRESQL_ENGINE = "forkom.postgresql"
# Django's SQLite backend with PostgreSQL's integer limits.
SQLITE_ENGINE = "forkom.sqlite"


def env_database(
    name: str,
    default_url: str | None,
    environ: Environ = None,
    *,
    statement_timeout: float | None = None,
) -> Any:
    """DATABASE_URL: sqlite:///path or postgres://user@host:port/name.

    For PostgreSQL: a connect timeout (DATABASE_CONNECT_TIMEOUT seconds) and, when given, a
    statement timeout in milliseconds, so that a database that does not answer holds a
    request for seconds, not until the app server kills the worker."""
    url = env_str(name, default_url, environ)
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name}={url!r}: use sqlite:///path/to/file.sqlite3 or "
            "postgres://user:password@host:5432/name."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is malformed: {error}") from None
    if not config.get("NAME") or config["NAME"] == ":memory:":
        raise ImproperlyConfigured(f"{name}={url!r} names no database file or database.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while one request writes; IMMEDIATE takes the write lock
        # at BEGIN, so concurrent writers queue instead of failing with "database is locked".
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        config["TEST"] = {"NAME": str(config["NAME"]) + ".test"}
        config["ENGINE"] = SQLITE_ENGINE  # forkom/sqlite/base.py
    else:
        config["ENGINE"] = POSTGRESQL_ENGINE  # forkom/postgresql/base.py
        # PostgreSQL's default random_page_cost (4.0) prices an index probe for a spinning
        # disk; on SSD or memory the PostgreSQL manual suggests about 1.1. Without it the
        # planner hashes a whole table (memberships, sign-ups) for the dashboards instead of
        # probing the index for an area's cadres: 95 ms instead of 24 ms at national scale
        # (docs/performance.md). Sent as a connection option; empty sends nothing (for a
        # pooler such as PgBouncer that refuses options: set it on the database instead).
        cost = env_positive_number("DATABASE_RANDOM_PAGE_COST", PG_RANDOM_PAGE_COST, environ)
        settings_sent = []
        if cost is not None:
            settings_sent.append(f"-c random_page_cost={cost}")
        # The app's queries read a page of rows. A parallel plan costs 10 to 36 ms here just
        # to start its workers, and the workers take the cores that the other requests need:
        # the admin's account list of a province took 17 ms of PostgreSQL with two workers
        # and 8 ms without (docs/performance.md). Empty leaves the server's setting.
        workers = env_bounded_int("DATABASE_PARALLEL_WORKERS", PG_PARALLEL_WORKERS, 0, 64, environ)
        if workers is not None:
            settings_sent.append(f"-c max_parallel_workers_per_gather={workers}")
        # Django reads through a server-side cursor only for QuerySet.iterator(): every model
        # choice list of a form, and the exports. Outside a transaction the cursor is WITH
        # HOLD, which PostgreSQL runs to the end before the first row is fetched; planned
        # for the first tenth of the rows (the default 0.1), the admin's training form listed
        # the province's 105 kecamatan by walking all 91,599 regions in code order (11.8 ms)
        # instead of sorting them (1.7 ms). 1 plans such a cursor as any query. Empty
        # leaves the server's setting.
        fraction = env_positive_number(
            "DATABASE_CURSOR_TUPLE_FRACTION", PG_CURSOR_TUPLE_FRACTION, environ
        )
        if fraction is not None:
            if fraction > 1:
                raise ImproperlyConfigured(
                    f"DATABASE_CURSOR_TUPLE_FRACTION={fraction}: give a number above 0 and at "
                    "most 1 (1: plan for every row)."
                )
            settings_sent.append(f"-c cursor_tuple_fraction={fraction:g}")
        if statement_timeout is not None:
            settings_sent.append(f"-c statement_timeout={int(statement_timeout)}")
        options = config.setdefault("OPTIONS", {})
        if settings_sent:
            # Options given in the URL (?options=-c ...) come later and win.
            given = options.get("options", "")
            options["options"] = " ".join([*settings_sent, given]).strip()
        # The few statements run on every signed-in request (forkom.statements) are prepared
        # on each connection, so that PostgreSQL plans them once instead of on every request.
        # psycopg then prepares only what asks for it; Django's ORM binds its parameters on
        # the client and never prepares. False: nothing is prepared (a pooler in transaction
        # mode without prepared-statement support, such as PgBouncer before 1.21).
        if env_bool("DATABASE_PREPARED_STATEMENTS", True, environ):
            options.setdefault("prepare_threshold", PREPARE_ONLY_WHEN_ASKED)
        connect_timeout = env_positive_number("DATABASE_CONNECT_TIMEOUT", 5, environ)
        if connect_timeout is not None:
            options.setdefault("connect_timeout", max(int(connect_timeout), 1))
    return config


def env_replica_database(
    name: str, primary: dict[str, Any], environ: Environ = None
) -> dict[str, Any] | None:
    """DATABASE_REPLICA_URL: a PostgreSQL read replica of the primary `primary`; None unset."""
    if not env_str(name, "", environ):
        return None
    config = env_database(name, None, environ)
    if primary["ENGINE"] != POSTGRESQL_ENGINE or config["ENGINE"] != primary["ENGINE"]:
        raise ImproperlyConfigured(
            f"{name}: a read replica needs PostgreSQL, both for it and for DATABASE_URL."
        )
    # Tests have no replica: the same test database stands in for it.
    config["TEST"] = {"MIRROR": "default"}
    return config


def env_redis_url(name: str, environ: Environ = None) -> str | None:
    url = env_str(name, None, environ)
    if url is None or url == "":
        return None
    if urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"{name}={url!r} is not a redis:// URL.")
    return url
