"""A row's admin pages (change, history, delete) find it by its key through a kept
statement, then check the staff member's scope on its region's code (forkom.admin
ScopedAdmin._kept_object): exactly the rows the scoped queryset found, for every admin
that takes this way, every row of the demo data and staff in and out of the scope."""

from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from forkom.accounts.models import Role
from forkom.admin import ScopedAdmin, _rows_are_the_scope_s
from tests.conftest import make_persona, make_user

KEPT = [
    model_admin
    for model_admin in admin.site._registry.values()
    if isinstance(model_admin, ScopedAdmin) and _rows_are_the_scope_s(type(model_admin))
]
# Keys no row has. A NUL character never gets this far: forkom.middleware refuses the path.
HOSTILE = ["abc", "9" * 30, "-" + "9" * 30, "-1", "0", "", "1.5", " 1", "64.74 ", "6" * 300]


def viewers():
    superuser = make_user(is_superuser=True, is_staff=True)
    return {
        "province staff": make_persona(Role.DINAS_STAFF, "64", is_staff=True),
        "kota staff": make_persona(Role.DINAS_STAFF, "64.74", is_staff=True),
        "staff of another kota": make_persona(Role.DINAS_STAFF, "64.72", is_staff=True),
        "coordinator": make_persona(Role.CITY_COORDINATOR, "64.72", is_staff=True),
        "superuser": superuser,
        "inactive superuser": make_user(is_superuser=True, is_staff=True, is_active=False),
    }


def request_of(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def by_queryset(model_admin, request, object_id):
    """The scoped queryset's answer: Django's get_object with the key named (from_field),
    which does not take the kept statement."""
    return model_admin.get_object(request, object_id, from_field=model_admin.model._meta.pk.name)


def test_the_admins_that_take_the_kept_way_are_those_whose_rows_are_the_scope():
    names = {model_admin.model._meta.label for model_admin in KEPT}
    assert {"trainings.Training", "cadres.Forum", "territory.Region"} <= names
    assert {"cadres.ForumMember", "cadres.CadreProfile", "cadres.Meeting"} <= names
    # Narrowed further by their admins: the queryset answers.
    assert "programs.Proposal" not in names  # submitted ones only
    # The accounts staff manage: read by key too, under a rule of their own
    # (scope.may_manage, tests/accounts/test_may_manage.py).
    assert "accounts.User" not in names


def test_every_row_is_found_exactly_where_the_scoped_queryset_finds_it(demo):
    people = viewers()
    compared = found = refused = 0
    for model_admin in KEPT:
        keys = list(model_admin.model._default_manager.values_list("pk", flat=True)[:40])
        assert keys or model_admin.model._meta.label in {
            "cadres.CadreImport",
            "cadres.DeletionRequest",
            "cadres.PersonalDataView",
            "accounts.RoleInvitation",
        }, model_admin.model
        for name, user in people.items():
            request = request_of(user)
            for object_id in [str(key) for key in keys] + HOSTILE:
                expected = by_queryset(model_admin, request_of(user), object_id)
                kept = model_admin.get_object(request, object_id)
                assert getattr(kept, "pk", None) == getattr(expected, "pk", None), (
                    model_admin.model,
                    name,
                    object_id,
                )
                compared += 1
                found += kept is not None
                refused += kept is None and expected is None and object_id not in HOSTILE
    # Both answers were given many times: rows found, and rows outside the scope refused.
    assert found > 100
    assert refused > 100
    assert compared > 1000


def test_the_row_and_the_rows_its_name_reads_come_in_one_query(demo):
    staff = make_persona(Role.DINAS_STAFF, "64", is_staff=True)
    request = request_of(staff)
    [role_admin] = [m for m in KEPT if m.model._meta.label == "accounts.RoleAssignment"]
    assignment = role_admin.model._default_manager.exclude(user=staff).first()
    name = str(assignment)
    role_admin.get_object(request, str(assignment.pk))  # the statement compiled, roles read
    with CaptureQueriesContext(connection) as read:
        found = role_admin.get_object(request, str(assignment.pk))
        assert str(found) == name  # read from the user and the region
    assert len(read.captured_queries) == 1, [q["sql"][:300] for q in read.captured_queries]


def test_the_demo_data_gives_rows_to_most_admins(demo):
    empty = {
        model_admin.model._meta.label
        for model_admin in KEPT
        if not model_admin.model._default_manager.exists()
    }
    assert empty <= {
        "accounts.RoleInvitation",
        "cadres.CadreImport",
        "cadres.DeletionRequest",
        "cadres.PersonalDataView",
    }
