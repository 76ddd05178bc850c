"""forkom.statements.one_by: the row a page reads by the key in its address (a whole
number, a text, a UUID), with the related rows it names, through a statement compiled
once and read afresh."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.models import CadreProfile
from forkom import statements
from forkom.territory.models import Region
from tests.cadres.factories import make_profile


def fields(row):
    return {name: value for name, value in vars(row).items() if name != "_state"}


def test_a_row_by_each_kind_of_key_is_the_orm_s_with_its_related_rows(bontang):
    profile = make_profile(kelurahan="64.74.03.1001")
    for field, value in (("pk", profile.pk), ("public_id", profile.public_id)):
        statements.one_by(CadreProfile, field, value, "kelurahan__parent")  # compiled
        with CaptureQueriesContext(connection) as read:
            found = statements.one_by(CadreProfile, field, value, "kelurahan__parent")
            assert found.kelurahan.parent.name == "Bontang Barat"  # no query more
        assert len(read.captured_queries) == 1
        assert fields(found) == fields(CadreProfile.objects.get(pk=profile.pk))
    region = statements.one_by(Region, "code", "64.74.03")
    assert (region.code, region.name) == ("64.74.03", "Bontang Barat")


def test_it_reads_afresh_and_answers_none_for_a_key_no_row_has(bontang):
    profile = make_profile(full_name="Siti Aminah")
    assert statements.one_by(CadreProfile, "pk", profile.pk).full_name == "Siti Aminah"
    CadreProfile.objects.filter(pk=profile.pk).update(full_name="Siti Rahma")
    assert statements.one_by(CadreProfile, "pk", profile.pk).full_name == "Siti Rahma"
    assert statements.one_by(CadreProfile, "pk", profile.pk + 1000) is None
    assert statements.one_by(CadreProfile, "public_id", uuid.uuid4()) is None
    assert statements.one_by(Region, "code", "99.99") is None


@pytest.mark.parametrize("value", [1.0, True, None, b"64"])
def test_other_values_are_refused_before_any_query(value):
    with pytest.raises(TypeError):
        statements.one_by(Region, "code", value)


def test_a_key_no_column_can_hold_is_no_row_s_and_the_database_is_not_asked(
    bontang, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert statements.one_by(CadreProfile, "pk", 2**63) is None
        assert statements.one_by(CadreProfile, "pk", -(2**63) - 1) is None
        assert statements.one_by(Region, "code", "64.74\x00") is None
    profile = make_profile()
    assert statements.one_by(CadreProfile, "pk", profile.pk) is not None


def test_a_value_along_a_path_comes_as_an_attribute_of_the_row(bontang):
    profile = make_profile(kelurahan="64.74.03.1001")
    found = statements.one_by(
        CadreProfile, "pk", profile.pk, annotate=(("kecamatan_code", "kelurahan__parent__code"),)
    )
    assert found.kecamatan_code == "64.74.03"
    assert statements.one_by(CadreProfile, "pk", profile.pk).__dict__.get("kecamatan_code") is None


def test_a_key_of_two_numbers_reads_the_row_of_both_and_is_not_run_without_the_second(
    bontang,
):
    from cadres.models import Body, CadreMembership

    first, second = make_profile(), make_profile()
    pkk, posyandu = Body.objects.order_by("pk")[:2]
    rows = {
        (profile.pk, body.pk): CadreMembership.objects.create(profile=profile, body=body)
        for profile, body in ((first, pkk), (first, posyandu), (second, posyandu))
    }
    kept = statements.compiled_models(
        CadreMembership.objects.filter(
            profile_id=statements.PLACEHOLDER, body_id=statements.SECOND_PLACEHOLDER
        ).order_by()
    )
    assert len(kept.statement.at) == 1
    assert len(kept.statement.second_at) == 1
    for (profile_id, body_id), row in rows.items():
        assert statements.first(kept, profile_id, second=body_id).pk == row.pk
    assert statements.first(kept, second.pk, second=pkk.pk) is None
    assert statements.first(kept, first.pk + 1000, second=pkk.pk) is None
    with pytest.raises(ValueError, match="give it the second"):
        statements.first(kept, first.pk)


def test_one_by_reads_a_row_by_a_key_of_two_columns(bontang):
    from cadres.models import Body, CadreMembership

    first, second = make_profile(), make_profile()
    pkk, posyandu = Body.objects.order_by("pk")[:2]
    rows = {
        (profile.pk, body.pk): CadreMembership.objects.create(profile=profile, body=body)
        for profile, body in ((first, pkk), (first, posyandu), (second, posyandu))
    }
    for (profile_id, body_id), row in rows.items():
        found = statements.one_by(
            CadreMembership, "profile_id", profile_id, "body", second=("body_id", body_id)
        )
        assert (found.pk, found.body.name) == (row.pk, row.body.name)
    assert (
        statements.one_by(CadreMembership, "profile_id", second.pk, second=("body_id", pkk.pk))
        is None
    )
    with CaptureQueriesContext(connection) as read:
        assert (
            statements.one_by(CadreMembership, "profile_id", first.pk, second=("body_id", 2**63))
            is None
        )
    assert read.captured_queries == []
    with pytest.raises(TypeError, match="second column"):
        statements.one_by(CadreMembership, "profile_id", first.pk, second=("body_id", "1"))
