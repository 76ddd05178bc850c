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
