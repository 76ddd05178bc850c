"""/healthz: within about a second, the database's state decides; cache and queue reported."""

import time
from unittest import mock

import pytest
from django.db import OperationalError

from forkom import health, mail


def lines(response):
    return dict(line.split(": ", 1) for line in response.content.decode().splitlines())


@pytest.mark.django_db(transaction=True)
def test_health_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert lines(response)["database"] == "ok"
    assert lines(response)["cache"] == "ok"
    assert lines(response)["tasks"].startswith("0 waiting")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_health_answers_503_when_the_database_does_not(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert lines(response)["database"].startswith("unavailable")


@pytest.mark.usefixtures("without_collector_pauses")
@pytest.mark.django_db(transaction=True)
def test_a_database_that_hangs_gets_a_503_within_about_a_second(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "database", lambda: time.sleep(5) or "ok")
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 1.5
    assert response.status_code == 503
    assert lines(response)["database"] == "no answer"


@pytest.mark.django_db(transaction=True)
def test_the_task_backlog_is_reported(client, task_queue):
    for _count in range(3):
        mail.send(to="a@example.id", template="cadres/email/deletion_done", context={})
    assert lines(client.get("/healthz"))["tasks"].startswith("3 waiting")
    task_queue()
    assert lines(client.get("/healthz"))["tasks"].startswith("0 waiting")


@pytest.mark.django_db(transaction=True)
def test_liveness_answers_without_the_database_cache_or_queue(client, django_assert_num_queries):
    """/livez is for a process supervisor: a database outage makes /healthz answer 503, but
    must not get every worker restarted."""
    with (
        mock.patch.object(health, "run_checks", side_effect=AssertionError("no checks")),
        mock.patch(
            "django.db.backends.utils.CursorWrapper.execute",
            side_effect=OperationalError("connection refused"),
        ),
        django_assert_num_queries(0),
    ):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]
