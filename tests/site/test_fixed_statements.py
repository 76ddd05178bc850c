"""forkom.statements: a fixed statement, whose values were written into its query when it was
built (a region's ancestors and subtree), keeps its SQL and reads its rows afresh."""

import pytest

from forkom import statements
from forkom.territory.models import Region


def test_a_fixed_statement_reads_the_orm_s_rows_afresh(bontang):
    queryset = Region.objects.filter(code__startswith="64.74.0").order_by("code")
    kept = statements.compiled_models(queryset, fixed=True)
    assert [(row.code, row.name) for row in statements.instances(kept, None)] == [
        (row.code, row.name) for row in queryset
    ]
    Region.objects.filter(code="64.74.01").update(name="Bontang Utara (baru)")
    assert "Bontang Utara (baru)" in [row.name for row in statements.instances(kept, None)]


def test_a_fixed_statement_takes_no_value_and_a_kept_one_needs_one(db):
    with pytest.raises(ValueError, match="takes no value"):
        statements.compiled_models(
            Region.objects.filter(code=statements.TEXT_PLACEHOLDER), fixed=True
        )
    with pytest.raises(ValueError, match="placeholder is not in"):
        statements.compiled_models(Region.objects.filter(code="64.74"))


def test_a_store_keeps_a_statement_per_key_and_drops_the_oldest_half_when_full():
    built = []

    def build(key):
        built.append(key)
        return f"statement {key}"

    store = statements.Kept(size=4)
    for key in range(4):
        assert store.get(key, lambda key=key: build(key)) == f"statement {key}"
    assert store.get(3, lambda: build("again")) == "statement 3"  # kept: not built again
    assert built == [0, 1, 2, 3]
    store.get(4, lambda: build(4))  # full: 0 and 1 dropped
    store.get(2, lambda: build("again"))
    store.get(0, lambda: build(0))
    assert built == [0, 1, 2, 3, 4, 0]


def test_a_fixed_statement_with_a_moment_writes_its_values_and_takes_each_run_s_moment(bontang):
    """The training catalogue's first page compares with the request's "now": its other values
    (a code prefix, LIKE '64.74.%') are written into the SQL on PostgreSQL so that its plan
    is made for them, and the moment stays a parameter, given on each run."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from tests.trainings.factories import make_training
    from trainings.models import Training

    now = timezone.now()
    for days in (1, 3, 5):
        make_training(title=f"Dalam {days} hari", starts_at=now + timedelta(days=days))

    def narrowed(moment):
        return (
            Training.objects.filter(
                venue_kecamatan__code__startswith="64.74.", ends_at__gte=moment
            )
            .select_related("venue_kecamatan")
            .order_by("starts_at")
        )

    kept = statements.compiled_models(narrowed(statements.MOMENT_PLACEHOLDER), fixed=True)
    for moment in (now, now + timedelta(days=2), now + timedelta(days=4), now + timedelta(days=6)):
        found = statements.instances(kept, None, moment)
        assert [row.title for row in found] == [row.title for row in narrowed(moment)]
        assert all(row.venue_kecamatan.name == "Bontang Barat" for row in found)
    if statements.prepares(connection):
        assert "'64.74.%%'" in kept.statement.sql  # written, its % doubled for the parameters
        assert kept.statement.sql.count("%s") == len(kept.statement.params) == 1
        assert kept.statement.moment_at == (0,)
