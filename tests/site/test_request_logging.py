"""A refused request is logged once: one record, printed by one handler, and without a
traceback when the portal expected the refusal (a form that did not validate, a control or
NUL character, a database that did not answer in time).

`make run` runs with DEBUG on, where Django's own "django" logger printed each record with
its console handler and passed it on to the root logger's, which printed it again."""

import logging

import pytest
from django.db import OperationalError
from django.urls import reverse

from cadres import services
from tests.conftest import make_user

REFUSAL = "Bad Request"


@pytest.fixture
def signed_in(client, bontang, settings):
    settings.DEBUG = True  # as `make run` runs
    client.force_login(make_user())
    return client


def handlers_printing(record):
    """The handlers of the site's logging configuration (not pytest's) that print
    `record`, from its logger up to the root as the record propagates."""
    printing = []
    logger = logging.getLogger(record.name)
    while logger is not None:
        printing += [
            handler
            for handler in logger.handlers
            if not type(handler).__module__.startswith("_pytest")
            and record.levelno >= handler.level
            and handler.filter(record)
        ]
        logger = logger.parent if logger.propagate else None
    return printing


def the_one_record(caplog):
    """The request's only record, printed once and without a traceback."""
    assert len(caplog.records) == 1, [record.getMessage() for record in caplog.records]
    record = caplog.records[0]
    assert len(handlers_printing(record)) == 1
    assert record.exc_info is None
    return record


def test_a_form_refused_with_400_is_logged_once(signed_in, caplog):
    with caplog.at_level(logging.INFO):
        response = signed_in.post(reverse("cadres:consent"), {"agree": ""})
    assert response.status_code == 400
    record = the_one_record(caplog)
    assert record.getMessage() == f"{REFUSAL}: {reverse('cadres:consent')}"
    assert record.levelno == logging.WARNING


@pytest.mark.parametrize(
    ("query", "form"),
    [("", {"agree": "on", "note": "a\x07b"}), ("?q=a%00b", {"agree": "on"})],
    ids=["control character", "NUL"],
)
def test_a_refused_character_is_logged_once_without_a_traceback(signed_in, caplog, query, form):
    path = reverse("cadres:consent")
    with caplog.at_level(logging.INFO):
        response = signed_in.post(path + query, form)
    assert response.status_code == 400
    record = the_one_record(caplog)
    assert "karakter" in record.getMessage()  # the reason
    assert record.getMessage().endswith(f": {path}")


def test_a_database_that_does_not_answer_is_logged_once(signed_in, caplog, monkeypatch):
    def timed_out(**kwargs):
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(services, "record_consent", timed_out)
    with caplog.at_level(logging.INFO):
        response = signed_in.post(reverse("cadres:consent"), {"agree": "on"})
    assert response.status_code == 503
    record = the_one_record(caplog)
    assert record.levelno == logging.ERROR
    assert "statement timeout" in record.getMessage()
