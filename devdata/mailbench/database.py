"""The benchmark's own PostgreSQL database.

DATABASE_URL names the server. Unless its database is itself one made for the benchmark
(its name starts with `forkom_bench_mail`), the benchmark never touches it: it creates
`forkom_bench_mail_<random>` beside it, points this process at that one, and drops it at the
end. A database given by name is used as it is (it must be empty) and left for whoever made
it.
"""

import os
import secrets
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from psycopg import sql

PREFIX = "forkom_bench_mail"


class BenchDatabase:
    def __init__(self, url: str, *, created: bool):
        self.url = url
        self.created = created
        self.name = urlsplit(url).path.strip("/")

    @classmethod
    def create(cls) -> "BenchDatabase":
        """The database to use, created unless DATABASE_URL names one made for this; `connect`
        then migrates it and points this process at it, `drop` removes what was created."""
        configured = os.environ.get("DATABASE_URL", "")
        parts = urlsplit(configured)
        if connection.vendor != "postgresql" or parts.scheme not in {"postgres", "postgresql"}:
            raise CommandError(
                "bench_mail runs on PostgreSQL: set DATABASE_URL=postgres://user@host:port/name "
                "(the server on which it creates, then drops, a database of its own)."
            )
        if parts.path.strip("/").startswith(PREFIX):
            database = cls(configured, created=False)
        else:
            name = f"{PREFIX}_{secrets.token_hex(4)}"
            database = cls(urlunsplit(parts._replace(path=f"/{name}")), created=True)
            with psycopg.connect(database.maintenance_url, autocommit=True) as maintenance:
                maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return database

    @property
    def maintenance_url(self) -> str:
        return urlunsplit(urlsplit(self.url)._replace(path="/postgres"))

    def connect(self) -> None:
        # As Django's test runner does for its test database: the same settings, another name.
        connections["default"].close()
        settings.DATABASES["default"]["NAME"] = self.name
        connections["default"].settings_dict["NAME"] = self.name
        if "accounts_user" in connection.introspection.table_names():
            from forkom.accounts.models import User

            if User.objects.exists():
                raise CommandError(
                    f"The database {self.name} already holds accounts: give bench_mail an "
                    "empty one, or none (it then makes its own)."
                )
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)

    def drop(self) -> None:
        connections.close_all()
        if not self.created:
            return
        with psycopg.connect(self.maintenance_url, autocommit=True) as maintenance:
            maintenance.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.name)
                )
            )
