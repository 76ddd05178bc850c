"""A statement cut off by its timeout: the visitor is told to try again (503), quickly, and
nothing of the request is saved (issue 13)."""

import time

import pytest
from django.db import connection, transaction
from django.urls import reverse

from cadres.models import ConsentRecord
from tests.conftest import make_user


@pytest.mark.usefixtures("without_collector_pauses")
@pytest.mark.django_db(transaction=True)
def test_a_statement_over_its_timeout_answers_503_and_saves_nothing(
    client, postgresql_only, monkeypatch
):
    user = make_user()
    client.force_login(user)
    from cadres import services

    real = services.record_consent

    def slow_consent(**kwargs):
        # A service whose transaction writes, then runs a statement that takes too long.
        with transaction.atomic():
            consent = real(**kwargs)
            with connection.cursor() as cursor:
                # The request's timeout (15 s in production), shortened for the test.
                cursor.execute("SET LOCAL statement_timeout = 300")
                cursor.execute("SELECT pg_sleep(3)")
        return consent

    monkeypatch.setattr(services, "record_consent", slow_consent)
    started = time.monotonic()
    response = client.post(reverse("cadres:consent"), {"agree": "on"})
    took = time.monotonic() - started
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert took < 1.5
    assert not ConsentRecord.objects.filter(user=user).exists()
