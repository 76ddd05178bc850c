"""Whom a new meeting invites by default (cadres.meetings.selectors.candidates): each person
named as officers see them (display_name), with their position, the inactive left out, in
name order, read in the same number of queries however many members a forum has."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres import services as cadre_services
from cadres.forums import services as forum_services
from cadres.forums.selectors import display_name
from cadres.meetings import selectors
from forkom.accounts.models import Position, Role, User
from forkom.territory.models import Region
from tests.cadres.factories import make_profile
from tests.conftest import make_persona, make_user

BARAT = "64.74.03"


def add_members(officer, count, *, start=0):
    """`count` verified cadres of Bontang Barat added to its kecamatan forum."""
    forum = forum_services.get_or_create_forum(region=Region.objects.get(code=BARAT))
    added = []
    for number in range(start, start + count):
        user = make_user(first_name=f"Akun{number}", last_name="Lain")
        profile = make_profile(user, full_name=f"Kader Nomor {number}")
        profile = cadre_services.verify_cadre(actor=officer, profile=profile)
        forum_services.add_member(actor=officer, forum=forum, profile=profile)
        added.append(profile.user)
    return added


def test_each_person_is_named_as_officers_see_them_with_their_position(kecamatan_officer):
    named = make_persona(
        Role.FORUM_OFFICER, BARAT, Position.KETUA, first_name="Budi", last_name="Santoso"
    )
    [member, leaving] = add_members(kecamatan_officer, 2)
    User.objects.filter(pk=leaving.pk).update(is_active=False)

    found = selectors.candidates(Region.objects.get(code=BARAT))

    people = {user.pk: user for user in (kecamatan_officer, named, member)}
    assert [(c.user_id, c.name, c.position) for c in found] == sorted(
        [
            # An account without a name: officers see its email.
            (kecamatan_officer.pk, kecamatan_officer.email, str(Position.SEKRETARIS.label)),
            # The account's names, without a profile.
            (named.pk, "Budi Santoso", str(Position.KETUA.label)),
            # The profile's name wins over the account's ("Akun0 Lain").
            (member.pk, "Kader Nomor 0", str(selectors.FORUM_MEMBER)),
        ],
        key=lambda row: row[1].casefold(),
    )
    for candidate in found:
        assert candidate.name == display_name(people[candidate.user_id], public=False)


def test_the_city_invites_its_kecamatan_officers_and_the_province_its_coordinators(
    kecamatan_officer, kelurahan_officer, coordinator
):
    city = selectors.candidates(Region.objects.get(code="64.74"))
    # The kelurahan's officer is not invited to the city's meeting.
    assert [(c.user_id, c.position) for c in city] == [
        (kecamatan_officer.pk, f"{Position.SEKRETARIS.label}, Bontang Barat")
    ]

    province = selectors.candidates(Region.objects.get(code="64"))
    assert [(c.user_id, c.name, c.position) for c in province] == [
        (coordinator.pk, coordinator.email, f"{Role.CITY_COORDINATOR.label}, Kota Bontang")
    ]


def test_the_queries_do_not_grow_with_the_members(kecamatan_officer):
    region = Region.objects.get(code=BARAT)
    add_members(kecamatan_officer, 1)
    with CaptureQueriesContext(connection) as few:
        assert len(selectors.candidates(region)) == 2
    add_members(kecamatan_officer, 4, start=1)
    with CaptureQueriesContext(connection) as many:
        assert len(selectors.candidates(region)) == 6
    assert len(many) == len(few)
