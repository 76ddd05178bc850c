import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from forkom.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_origins,
    env_redis_url,
    env_str,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("off", False),
        ("", False),
    ],
)
def test_booleans_are_read_in_their_usual_spellings(raw, expected):
    assert env_bool("DEBUG", None, {"DEBUG": raw}) is expected


def test_a_missing_boolean_takes_its_default():
    assert env_bool("DEBUG", True, {}) is True


def test_a_malformed_boolean_is_refused_with_the_variable_named():
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe'"):
        env_bool("DEBUG", False, {"DEBUG": "maybe"})


def test_a_malformed_whole_number_is_refused():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", 587, {"EMAIL_PORT": "five"})
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("SECURE_HSTS_SECONDS", 0, {"SECURE_HSTS_SECONDS": "-1"}, minimum=0)


def test_a_required_variable_that_is_missing_is_named():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env_str("SECRET_KEY", environ={})


def test_lists_are_comma_separated_and_trimmed():
    assert env_list("ALLOWED_HOSTS", [], {"ALLOWED_HOSTS": " a.id, b.id ,,"}) == ["a.id", "b.id"]


def test_trusted_origins_need_a_scheme():
    assert env_origins("X", [], {"X": "https://forkom.id"}) == ["https://forkom.id"]
    with pytest.raises(ImproperlyConfigured, match="not an origin"):
        env_origins("X", [], {"X": "forkom.id"})


def test_database_url_defaults_to_an_sqlite_file_with_a_file_test_database(tmp_path):
    config = env_database("DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite3", {})
    assert config["ENGINE"] == "forkom.sqlite"  # Django's, with PostgreSQL's integer limits
    assert config["NAME"] == f"{tmp_path}/db.sqlite3"
    assert config["TEST"]["NAME"].endswith(".test")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgres_url_gets_persistent_connections_with_health_checks():
    config = env_database(
        "DATABASE_URL", None, {"DATABASE_URL": "postgres://forkom:s3cret@db.internal:5433/forkom"}
    )
    assert config["ENGINE"] == "forkom.postgresql"  # Django's, with a cheaper health check
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "forkom")
    assert config["CONN_MAX_AGE"] > 0
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["OPTIONS"]["options"] == (
        "-c random_page_cost=1.1 -c max_parallel_workers_per_gather=0 -c cursor_tuple_fraction=1"
    )


def test_postgres_options_in_the_url_come_after_the_portals_and_win():
    url = "postgres://forkom@db/forkom?options=-c%20random_page_cost%3D2"
    config = env_database("DATABASE_URL", None, {"DATABASE_URL": url})
    assert config["OPTIONS"]["options"] == (
        "-c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"
        " -c cursor_tuple_fraction=1 -c random_page_cost=2"
    )


@pytest.mark.parametrize("cost", ["", "1.5"])
def test_the_page_cost_can_be_changed_or_left_to_the_server(cost):
    url = "postgres://forkom@db/forkom"
    environ = {
        "DATABASE_URL": url,
        "DATABASE_RANDOM_PAGE_COST": cost,
        "DATABASE_PARALLEL_WORKERS": "",
        "DATABASE_CURSOR_TUPLE_FRACTION": "",
    }
    options = env_database("DATABASE_URL", None, environ).get("OPTIONS", {})
    assert options.get("options", "") == (f"-c random_page_cost={cost}" if cost else "")


@pytest.mark.parametrize(
    ("given", "threshold"), [(None, 2**31 - 1), ("true", 2**31 - 1), ("false", None)]
)
def test_prepared_statements_are_asked_for_unless_turned_off(given, threshold):
    """On, psycopg prepares only what asks (forkom.statements.prepared_cursor); off (a pooler
    without prepared statements), Django's default: nothing is prepared."""
    environ = {"DATABASE_URL": "postgres://forkom@db/forkom"}
    if given is not None:
        environ["DATABASE_PREPARED_STATEMENTS"] = given
    options = env_database("DATABASE_URL", None, environ)["OPTIONS"]
    assert options.get("prepare_threshold") == threshold
    sqlite = env_database("DATABASE_URL", "sqlite:////tmp/x.sqlite3", {})
    assert "prepare_threshold" not in sqlite["OPTIONS"]


@pytest.mark.parametrize("workers", ["", "0", "2"])
def test_parallel_workers_can_be_changed_or_left_to_the_server(workers):
    url = "postgres://forkom@db/forkom"
    environ = {
        "DATABASE_URL": url,
        "DATABASE_RANDOM_PAGE_COST": "",
        "DATABASE_PARALLEL_WORKERS": workers,
        "DATABASE_CURSOR_TUPLE_FRACTION": "",
    }
    options = env_database("DATABASE_URL", None, environ).get("OPTIONS", {})
    expected = f"-c max_parallel_workers_per_gather={workers}" if workers else ""
    assert options.get("options", "") == expected


@pytest.mark.parametrize("workers", ["many", "-1", "65", "1.5", "2; DROP", "9" * 40, "2\x00"])
def test_parallel_workers_that_are_not_a_small_whole_number_are_refused(workers):
    environ = {"DATABASE_URL": "postgres://forkom@db/forkom", "DATABASE_PARALLEL_WORKERS": workers}
    with pytest.raises(ImproperlyConfigured, match="DATABASE_PARALLEL_WORKERS"):
        env_database("DATABASE_URL", None, environ)


@pytest.mark.parametrize(("fraction", "sent"), [("", ""), ("0.5", "0.5"), ("1", "1")])
def test_the_cursor_plan_fraction_can_be_changed_or_left_to_the_server(fraction, sent):
    environ = {
        "DATABASE_URL": "postgres://forkom@db/forkom",
        "DATABASE_RANDOM_PAGE_COST": "",
        "DATABASE_PARALLEL_WORKERS": "",
        "DATABASE_CURSOR_TUPLE_FRACTION": fraction,
    }
    options = env_database("DATABASE_URL", None, environ).get("OPTIONS", {})
    assert options.get("options", "") == (f"-c cursor_tuple_fraction={sent}" if sent else "")


@pytest.mark.parametrize("fraction", ["all", "0", "-0.5", "1.5", "inf", "nan", "1; DROP", "1\x00"])
def test_a_cursor_plan_fraction_outside_0_to_1_is_refused(fraction):
    environ = {
        "DATABASE_URL": "postgres://forkom@db/forkom",
        "DATABASE_CURSOR_TUPLE_FRACTION": fraction,
    }
    with pytest.raises(ImproperlyConfigured, match="DATABASE_CURSOR_TUPLE_FRACTION"):
        env_database("DATABASE_URL", None, environ)


@pytest.mark.parametrize("cost", ["fast", "0", "-1", "1.1; DROP"])
def test_a_page_cost_that_is_not_a_positive_number_is_refused(cost):
    environ = {"DATABASE_URL": "postgres://forkom@db/forkom", "DATABASE_RANDOM_PAGE_COST": cost}
    with pytest.raises(ImproperlyConfigured, match="DATABASE_RANDOM_PAGE_COST"):
        env_database("DATABASE_URL", None, environ)


def test_on_postgresql_the_sessions_price_index_probes_for_ssd(postgresql_only, db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
        # No parallel workers for the app's queries (forkom.env says why).
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
        # Server-side cursors (QuerySet.iterator()) planned for every row (forkom.env).
        cursor.execute("SHOW cursor_tuple_fraction")
        assert cursor.fetchone()[0] == "1"


@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/forkom", "not a url", "sqlite://:memory:", "postgres://host"]
)
def test_unsupported_or_malformed_database_urls_are_refused(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", None, {"DATABASE_URL": url})


def test_redis_url_is_optional_but_must_be_redis():
    assert env_redis_url("REDIS_URL", {}) is None
    assert env_redis_url("REDIS_URL", {"REDIS_URL": "redis://127.0.0.1:6379/1"}).startswith(
        "redis"
    )
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        env_redis_url("REDIS_URL", {"REDIS_URL": "http://127.0.0.1:6379"})


def _run_manage(args, **env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_zero_issues(tmp_path):
    result = _run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="forkom.example.id",
        CSRF_TRUSTED_ORIGINS="https://forkom.example.id",
        DATABASE_URL=f"sqlite:///{tmp_path}/prod.sqlite3",
        REDIS_URL="redis://127.0.0.1:6379/0",
        EMAIL_HOST="smtp.example.id",
        FORKOM_DELETION_LOG=str(tmp_path / "deletion-log.jsonl"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_without_an_smtp_server_check_deploy_says_mail_would_go_nowhere(tmp_path):
    """As README says: EMAIL_HOST belongs to the production variables."""
    result = _run_manage(
        ["check", "--deploy"],
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="forkom.example.id",
        CSRF_TRUSTED_ORIGINS="https://forkom.example.id",
        DATABASE_URL=f"sqlite:///{tmp_path}/prod.sqlite3",
        REDIS_URL="redis://127.0.0.1:6379/0",
        EMAIL_HOST="",
    )
    assert result.returncode != 0
    assert "mail.E001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run_manage(["check"], DEBUG="false", DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_a_typo_in_debug_stops_the_start_up(tmp_path):
    result = _run_manage(["check"], DEBUG="ture", DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert result.returncode != 0
    assert "DEBUG='ture' is not a boolean" in result.stderr


def test_site_runs_in_indonesian_and_wita_by_default(settings):
    assert settings.LANGUAGE_CODE == "id"
    assert ("en", "English") in settings.LANGUAGES
    assert settings.TIME_ZONE == "Asia/Makassar"


def test_with_redis_the_cache_is_shared_and_sessions_are_kept_in_the_database(tmp_path):
    script = (
        "from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.CACHES['default']['LOCATION'])"
    )
    result = _run_manage(
        ["shell", "-c", script],
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "forkom.cache.ResilientRedisCache",
        "django.contrib.sessions.backends.cached_db",
        "redis://127.0.0.1:6379/3",
    ]


def test_postgresql_connections_carry_a_connect_and_a_statement_timeout():
    from forkom.env import env_database

    options = env_database(
        "DATABASE_URL", None, {"DATABASE_URL": "postgres://u@h:5432/n"}, statement_timeout=15000
    )["OPTIONS"]
    assert "-c statement_timeout=15000" in options["options"]
    assert options["connect_timeout"] == 5


def test_commands_and_the_worker_get_the_longer_statement_timeout(tmp_path):
    script = "from django.conf import settings as s; print(s.DATABASES['default']['OPTIONS'])"
    result = _run_manage(
        ["shell", "-c", script],
        DEBUG="true",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
    )
    assert result.returncode == 0, result.stderr
    assert "statement_timeout=600000" in result.stdout


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "0"),
        ({"SECURE_PROXY_SSL_HEADER": "true"}, "1"),
        ({"SECURE_PROXY_SSL_HEADER": "true", "TRUSTED_PROXY_COUNT": "2"}, "2"),
    ],
)
def test_rate_limits_read_the_forwarded_address_only_behind_the_proxy(tmp_path, env, expected):
    script = "from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = _run_manage(
        ["shell", "-c", script],
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_make_run_links_its_emails_to_the_port_it_serves():
    """`make run PORT=8012` sent the demo's emails with links to port 8000 (found by a walk
    through the demo site): FORKOM_SITE_URL follows HOST and PORT unless it is set."""
    env = {key: value for key, value in os.environ.items() if key != "FORKOM_SITE_URL"}
    planned = subprocess.run(
        ["make", "-n", "run", "PORT=8012", "BONTANG_REGIONS=Makefile"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commands = [line for line in planned.splitlines() if "manage.py" in line]
    assert commands
    for command in commands:
        shown = subprocess.run(
            ["bash", "-c", f"{command.split(' .venv/bin/python')[0]} env"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "FORKOM_SITE_URL=http://127.0.0.1:8012\n" in shown, command
