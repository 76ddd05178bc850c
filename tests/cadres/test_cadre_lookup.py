"""A cadre's page finds the cadre by public id through a statement compiled once, then checks
the viewer's area on the row: the same people reach it as through cadres_for."""

import uuid

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from cadres import selectors
from cadres.models import CadreProfile
from forkom import scope
from forkom.accounts.models import Position, Role
from tests.cadres.factories import make_profile
from tests.conftest import make_persona, make_user


def test_the_cadre_is_found_in_one_query_with_what_the_page_reads(
    kelurahan_officer, kecamatan_officer, coordinator, staff
):
    profile = make_profile(kelurahan="64.74.03.1001", full_name="Siti Rahmawati")
    # Registered by her officer: the page names who registered her.
    CadreProfile.objects.filter(pk=profile.pk).update(registered_by=kelurahan_officer)
    orm = CadreProfile.objects.select_related(
        "kelurahan__parent", "user", "registered_by__cadre_profile"
    ).get(pk=profile.pk)
    names = [field.attname for field in CadreProfile._meta.concrete_fields]
    for viewer in (kelurahan_officer, kecamatan_officer, coordinator, staff):
        scope.grants(viewer)  # read once per request before any page's work
        with CaptureQueriesContext(connection) as captured:
            found = selectors.get_cadre_or_404(viewer, profile.public_id)
            assert found.kelurahan.parent.name == orm.kelurahan.parent.name
            assert found.user.email == orm.user.email
            assert found.registered_by.email == kelurahan_officer.email
            assert getattr(found.registered_by, "cadre_profile", None) is None
        assert len(captured) == 1
        assert [getattr(found, n) for n in names] == [getattr(orm, n) for n in names]


def test_outside_the_viewer_s_area_the_cadre_does_not_exist(bontang, outsider):
    profile = make_profile(kelurahan="64.74.03.1001")
    elsewhere = make_persona(Role.FORUM_OFFICER, "64.74.03.1002", Position.KETUA)
    for viewer in (outsider, elsewhere, make_user(), profile.user):
        with pytest.raises(Http404):
            selectors.get_cadre_or_404(viewer, profile.public_id)
    staff = make_persona(Role.DINAS_STAFF, "64")
    with pytest.raises(Http404):  # no such cadre
        selectors.get_cadre_or_404(staff, uuid.uuid4())
    for viewer in (outsider, elsewhere, staff):  # the same people as the area's list
        listed = selectors.cadres_for(viewer).filter(pk=profile.pk).exists()
        assert listed == (viewer == staff)
