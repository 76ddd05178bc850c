"""The restore drill (scripts/restore-drill) passes on the PostgreSQL server the tests run on:
a backup restores whole, and nobody forgotten after it comes back."""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parent.parent.parent
TOOLS = ("pg_dump", "pg_restore", "psql", "createdb", "dropdb")


@pytest.fixture
def postgresql_server(postgresql_only):
    """The server's address (without a database): the drill makes and drops its own."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        reason = f"The restore drill needs {', '.join(missing)} (Debian: postgresql-client)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    settings = connection.settings_dict
    user = quote(settings["USER"], safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}"


def test_the_restore_drill_passes(postgresql_server):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "MEDIA_ROOT"}
    }
    environment.update(
        DRILL_SERVER_URL=postgresql_server,
        DRILL_DATABASE_PREFIX=f"{connection.settings_dict['NAME']}_drill_{os.getpid()}",
        PYTHON=sys.executable,
    )
    result = subprocess.run(
        ["scripts/restore-drill"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "Restore drill passed" in result.stdout
