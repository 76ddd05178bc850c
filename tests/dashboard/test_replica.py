"""With DATABASE_REPLICA_URL set, the dashboards' figures are read from the replica and
everything else from the primary: who the viewer is, what they reach, the queue they act on,
and anything inside a transaction."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Body, CadreProfile
from dashboard import selectors
from forkom.replica import REPLICA
from forkom.territory.models import Region
from programs.models import Proposal
from tests.dashboard.test_queries import fill


@pytest.fixture(scope="module", autouse=True)
def _replica_alias():
    """A second connection to the test database under the alias `replica`, as
    DATABASE_REPLICA_URL adds one; what is committed is what a caught-up replica holds.
    Added before the tests' database set-up, which must know every alias it allows."""
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    connections.settings[REPLICA] = {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}}
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


replica_test = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


@replica_test
def test_the_city_dashboard_reads_its_figures_from_the_replica(client, bontang, coordinator):
    Body.objects.get_or_create(name="Posyandu")
    fill(6)
    client.force_login(coordinator)
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replicated,
    ):
        response = client.get(reverse("dashboard:city", args=["64.74"]))

    assert response.status_code == 200
    on_replica = [query["sql"] for query in replicated.captured_queries]
    on_primary = [query["sql"] for query in primary.captured_queries]
    # The eight figure queries (rows, forums, cadres by status, cadres by body, proposals,
    # trainings, attendance with the sign-ups, the bodies) went to the replica; the primary
    # answered the session, the user, their roles, the menu's counts, the kota and the
    # escalation queue.
    assert len(on_replica) == 10
    assert len(on_primary) == 6
    assert all("GROUP BY" not in sql for sql in on_primary)
    assert any("accounts_roleassignment" in sql for sql in on_primary)
    assert any('"programs_proposal"' in sql for sql in on_primary)  # the escalation queue
    verified = CadreProfile.objects.filter(
        status=CadreProfile.Status.VERIFIED, kelurahan__code__startswith="64.74."
    ).count()
    assert verified > 0
    assert response.context["board"].total.verified == verified
    waiting = Proposal.objects.filter(state=Proposal.State.RECOMMENDED).count()
    assert response.context["board"].total.proposals.get(Proposal.State.RECOMMENDED) == waiting


@replica_test
def test_inside_a_transaction_the_figures_come_from_the_primary(bontang, coordinator):
    city = Region.objects.get(code="64.74")
    with CaptureQueriesContext(connections[REPLICA]) as replicated, transaction.atomic():
        board = selectors.dashboard(coordinator, city)
    assert replicated.captured_queries == []
    assert sorted(row.code for row in board.rows) == ["64.74.01", "64.74.02", "64.74.03"]
