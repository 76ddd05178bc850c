"""The statements of every signed-in request (the user, their roles, the menu's counts) are
prepared once per connection (forkom.statements.prepared_cursor): PostgreSQL plans them
once, and their rows are read afresh on every request."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from forkom import statements
from tests.cadres.factories import make_profile

WAITING_ONE = r'<span class="count count-work"[^>]*>1<span class="visually-hidden">'
WAITING_TWO = r'<span class="count count-work"[^>]*>2<span class="visually-hidden">'


def prepared():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_the_signed_in_floor_is_prepared_once_and_read_afresh(
    postgresql_only, kelurahan_officer, client
):
    make_profile(kelurahan="64.74.03.1001")
    client.force_login(kelurahan_officer)
    assert re.search(WAITING_ONE, client.get("/privasi/").text)
    kept = prepared()
    menu = [s for s in kept if "COUNT(*)" in s and "cadres_cadreprofile" in s]
    # The menu's counts, with the officer's kelurahan written in: a plan for this prefix.
    assert any("'64.74.03.1001" in s and "$1" not in s for s in menu)
    assert any('FROM "accounts_user"' in s and "$1" in s for s in kept)  # the user
    assert any('FROM "accounts_roleassignment"' in s and "$1" in s for s in kept)  # roles
    make_profile(kelurahan="64.74.03.1001")
    with CaptureQueriesContext(connection) as captured:
        assert re.search(WAITING_TWO, client.get("/privasi/").text)  # the rows, read afresh
    assert sorted(prepared()) == sorted(kept)  # and nothing prepared again
    # Logged as any query, with the values written in.
    user = f'"accounts_user"."id" = {kelurahan_officer.pk}'
    assert [q for q in captured if q["sql"].startswith("SELECT") and user in q["sql"]]


def test_turned_off_nothing_is_prepared(postgresql_only, kelurahan_officer, client, monkeypatch):
    """DATABASE_PREPARED_STATEMENTS=false (a pooler without prepared statements): Django's
    own cursor, which psycopg never prepares."""
    options = {**connection.settings_dict["OPTIONS"]}
    options.pop("prepare_threshold", None)
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    assert not statements.prepares(connection)
    with statements.prepared_cursor(connection) as cursor:
        assert type(cursor.cursor).__name__ != "PreparedCursor"
    before = prepared()
    make_profile(kelurahan="64.74.03.1001")
    client.force_login(kelurahan_officer)
    assert re.search(WAITING_ONE, client.get("/privasi/").text)
    assert re.search(WAITING_ONE, client.get("/privasi/").text)
    new = [s for s in prepared() if s not in before]
    assert not [s for s in new if "COUNT(*)" in s and "'64.74.03.1001" in s]
