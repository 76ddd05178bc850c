"""The forum whose manage page (and actions) a person reaches, read by its code and then
checked (cadres.forums.selectors.get_manageable_region_or_404), is the one the former
scoped query found, with the same forum columns, for every person and region below."""

from datetime import date

from django.contrib.auth.models import AnonymousUser

from cadres.forums import selectors
from cadres.forums import services as forum_services
from forkom import scope
from forkom.accounts.models import Position, Role
from forkom.territory.models import Region
from tests.cadres.test_forum_services import (
    BELIMBING,
    BONTANG_BARAT,
    BONTANG_KUALA,
    forum_of,
    verified_cadre,
)
from tests.conftest import found_or_none, make_persona, make_user

BONTANG = "64.74"


def former(user, code):
    """The lookup as it was: the scoped query of the forum regions with their columns."""
    regions = selectors.with_forum_columns(selectors.forum_regions().select_related("parent"))
    return scope.get_or_404(regions, user, "code", scope.OFFICERS_AND_ABOVE, code=code)


def people(coordinator):
    inactive_officer = make_persona(Role.FORUM_OFFICER, BONTANG_BARAT, Position.KETUA)
    inactive_officer.is_active = False
    inactive_officer.save()
    inactive_superuser = make_user(is_superuser=True, is_staff=True)
    inactive_superuser.is_active = False
    inactive_superuser.save()
    return {
        "anonymous": AnonymousUser(),
        "nobody": make_user(),
        "cadre": verified_cadre("Ani").user,
        "kelurahan officer": make_persona(Role.FORUM_OFFICER, BELIMBING, Position.SEKRETARIS),
        "other kelurahan's officer": make_persona(
            Role.FORUM_OFFICER, BONTANG_KUALA, Position.KETUA
        ),
        "kecamatan officer": make_persona(Role.FORUM_OFFICER, BONTANG_BARAT, Position.KETUA),
        "coordinator": coordinator,
        "kota staff": make_persona(Role.DINAS_STAFF, BONTANG),
        "province staff": make_persona(Role.DINAS_STAFF, "64"),
        "superuser": make_user(is_superuser=True, is_staff=True),
        "inactive officer": inactive_officer,
        "inactive superuser": inactive_superuser,
    }


def test_the_region_read_by_code_is_the_scoped_querys(bontang):
    coordinator = make_persona(Role.CITY_COORDINATOR, BONTANG)
    barat = forum_of(BONTANG_BARAT)
    forum_services.record_sk(
        actor=coordinator, forum=barat, number="7/SK/2026", date=date(2026, 3, 2)
    )
    ketua = verified_cadre("Siti")
    forum_services.appoint_officer(
        actor=coordinator, forum=barat, user=ketua.user, position="ketua"
    )
    forum_services.add_member(actor=coordinator, forum=barat, profile=verified_cadre("Budi"))
    everyone = people(coordinator)
    closed = (
        Region.objects.filter(level=Region.Level.DESA_KELURAHAN)
        .exclude(code__in=[BELIMBING, BONTANG_KUALA])
        .first()
    )
    closed.is_active = False
    closed.save()
    codes = [
        *Region.objects.values_list("code", flat=True),  # kota, kecamatan, kelurahan, closed
        "64.74.99",  # no region
        "64.74.03.100",  # a kelurahan's code cut short
    ]
    found = 0
    for name, user in everyone.items():
        for code in codes:
            expected = found_or_none(former, user, code)
            got = found_or_none(selectors.get_manageable_region_or_404, user, code)
            assert (got and got.pk) == (expected and expected.pk), (name, code)
            if expected is None:
                continue
            found += 1
            for column in ("name", "level", "sk_number", "sk_date", "has_ketua", "member_count"):
                assert getattr(got, column) == getattr(expected, column), (name, code, column)
            assert got.parent == expected.parent
    # Enough of the matrix reaches a forum for the comparison to say something.
    assert found >= 30
    barat_row = selectors.get_manageable_region_or_404(coordinator, BONTANG_BARAT)
    assert (barat_row.sk_number, barat_row.has_ketua, barat_row.member_count) == (
        "7/SK/2026",
        True,
        1,
    )
    assert found_or_none(selectors.get_manageable_region_or_404, coordinator, closed.code) is None
    assert found_or_none(selectors.get_manageable_region_or_404, coordinator, BONTANG) is None
