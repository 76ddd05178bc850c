"""On PostgreSQL, the dashboards' proposals per area and state are read from the index of
migration programs 0009 alone: a column added to that query, or the index changed, would
send each proposal's row back to the table (1.6 ms instead of 0.3-0.5 ms for Kota Bontang
at national scale). SQLite has no INCLUDE and does without the index."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard import selectors
from forkom.territory.models import Region
from tests.plans import plan_of

INDEX = "proposal_reviewed_area"


def test_the_index_is_made_on_postgresql_only(db):
    with connection.cursor() as cursor:
        names = {
            name
            for name, info in connection.introspection.get_constraints(
                cursor, "programs_proposal"
            ).items()
            if info["index"]
        }
    assert (INDEX in names) == (connection.vendor == "postgresql")


def test_the_proposals_per_area_and_state_are_read_from_the_index_alone(
    coordinator, postgresql_only
):
    kota = Region.objects.get(code="64.74")
    with CaptureQueriesContext(connection) as captured:
        selectors._proposals(coordinator, kota, 8)
    (query,) = [query for query in captured if '"programs_proposal"' in query["sql"]]
    plan = plan_of(query["sql"], without=("seqscan", "bitmapscan"))
    assert f"Index Only Scan using {INDEX}" in plan, plan
