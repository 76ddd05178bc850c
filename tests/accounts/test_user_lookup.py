"""`User.objects.get(pk=<int>)` (how Django's authentication reads the signed-in user on every
request) runs a statement compiled once: the same user as the ORM's, read afresh."""

from unittest import mock

import pytest
from django.contrib.auth import get_user
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from forkom.accounts.models import User
from tests.conftest import make_user


def fields(user):
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


def test_the_user_read_by_id_is_the_orm_s(db):
    user = make_user("siti@test.forkom.id", first_name="Siti", last_name="Aminah")
    found = User.objects.get(pk=user.pk)
    assert fields(found) == fields(User.objects.filter(pk=user.pk).get())
    assert found.email == "siti@test.forkom.id"
    assert found._state.db == "default"
    assert not found._state.adding
    found.first_name = "Sri"
    found.save()  # an update of the row, not a new one
    assert User.objects.get(pk=user.pk).first_name == "Sri"
    assert User.objects.count() == 1


def test_every_read_sees_the_row_as_it_is_now(db):
    user = make_user()
    assert User.objects.get(pk=user.pk).is_active
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not User.objects.get(pk=user.pk).is_active


def test_a_missing_user_is_does_not_exist(db):
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=987_654)


@pytest.mark.parametrize("lookup", [{"pk": "1"}, {"id": 1}, {"email": "x@test.forkom.id"}])
def test_other_lookups_go_through_the_orm(db, lookup):
    with pytest.raises(User.DoesNotExist):
        User.objects.get(**lookup)


def test_a_signed_in_request_reads_the_user_without_building_a_query(client, db):
    user = make_user()
    client.force_login(user)
    request = client.get("/privasi/").wsgi_request
    request.session = client.session
    assert request.session.items()  # read before: here the sessions are the database's
    with (
        mock.patch.object(QuerySet, "get", side_effect=AssertionError("built")),
        CaptureQueriesContext(connection) as captured,
    ):
        assert get_user(request) == user
    assert len([query for query in captured if '"accounts_user"' in query["sql"]]) == 1
