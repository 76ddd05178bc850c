"""The forum pages take the same queries whatever the numbers: each page with one member and
officer per forum, then with fifty (tests/cadres/test_forum_views.py has the pages' other
tests).

The forums are filled once for each number (about 6 s for fifty, through the services) and
the tests of that number start from them; pytest runs the tests of one number together."""

import copy
from datetime import date

import pytest

from cadres.forums import services as services
from cadres.forums.selectors import SEARCH_LIMIT
from cadres.models import Field
from forkom.accounts.models import Position, Role
from tests.cadres.test_forum_services import (
    BELIMBING,
    BONTANG_BARAT,
    BONTANG_KUALA,
    forum_of,
    verified_cadre,
)
from tests.cadres.test_forum_views import DIRECTORY, in_english, url  # noqa: F401 (a fixture)
from tests.conftest import kept_for_the_module, load_bontang, make_persona


def populate(coordinator, count):
    """`count` members of the Bontang Barat and Belimbing forums, and `count` officers in
    Bontang Barat (a ketua, then koordinator bidang), Belimbing and Bontang Kuala."""
    barat, belimbing, kuala = (
        forum_of(code) for code in (BONTANG_BARAT, BELIMBING, BONTANG_KUALA)
    )
    services.record_sk(actor=coordinator, forum=barat, number="1/2026", date=date(2026, 1, 5))
    field = Field.objects.get_or_create(name="Kesehatan")[0]

    def appoint(forum, user, position):
        bidang = position == Position.KOORDINATOR_BIDANG
        services.appoint_officer(
            actor=coordinator,
            forum=forum,
            user=user,
            position=position,
            field=field if bidang else None,
        )

    for number in range(count):
        profile = verified_cadre(f"Kader {number:02d}")
        position = Position.KETUA if number == 0 else Position.KOORDINATOR_BIDANG
        for forum in (barat, belimbing):
            services.add_member(actor=coordinator, forum=forum, profile=profile)
            appoint(forum, profile.user, position)
        kuala_cadre = verified_cadre(f"Kader Kuala {number:02d}", kelurahan=BONTANG_KUALA)
        appoint(kuala, kuala_cadre.user, position)


@pytest.fixture(scope="module", params=[1, 50])
def _populated_once(request, django_db_setup, django_db_blocker, _deletion_log_directory):
    def build():
        load_bontang()
        coordinator = make_persona(Role.CITY_COORDINATOR, "64.74")
        populate(coordinator, request.param)
        return coordinator, request.param

    yield from kept_for_the_module(build, django_db_blocker, _deletion_log_directory)


@pytest.fixture
def populated(_populated_once, db):
    """The coordinator of Bontang and the number of members and officers per forum."""
    return copy.deepcopy(_populated_once)


def test_the_directory_takes_three_queries_whatever_the_numbers(
    client, populated, django_assert_num_queries
):
    _coordinator, count = populated
    with django_assert_num_queries(3):
        response = client.get(DIRECTORY)
    rows = {row.region.name: row for row in response.context["rows"]}
    assert rows["Bontang Barat"].member_count == count
    assert len(rows["Bontang Barat"].officers) == count


def test_a_kecamatan_page_takes_five_queries_whatever_the_numbers(
    client, populated, django_assert_num_queries
):
    _coordinator, count = populated
    # The forum and its kelurahan forums (3), its last meeting and its announcements (2).
    with django_assert_num_queries(5):
        response = client.get(url("detail"))
    belimbing = response.context["kelurahan_rows"][0]
    assert (belimbing.member_count, len(belimbing.officers)) == (count, count)


def test_a_kelurahan_page_takes_four_queries_whatever_the_numbers(
    client, populated, django_assert_num_queries
):
    _coordinator, count = populated
    with django_assert_num_queries(4):
        response = client.get(url("detail", BELIMBING))
    assert len(response.context["row"].officers) == count


def test_the_manage_page_takes_the_same_queries_whatever_the_numbers(
    client, populated, django_assert_num_queries
):
    coordinator, count = populated
    verified_cadre("Belum Anggota")
    client.force_login(coordinator)
    # session, user, roles, the menu's counts; region (with its members' count); officers;
    # members' page; timeline
    with django_assert_num_queries(8):
        response = client.get(url("manage"))
    assert response.context["members"].paginator.count == count
    assert len(response.context["row"].officers) == count
    assert not response.context["found"]


def test_a_search_on_the_manage_page_takes_the_same_queries_whatever_the_numbers(
    client, populated, django_assert_num_queries
):
    coordinator, count = populated
    verified_cadre("Kader 00 Baru")  # among the first found
    client.force_login(coordinator)
    # The page's 8, and the cadres found (with their place in the forum).
    with django_assert_num_queries(9):
        response = client.get(url("manage"), {"name": "kader"})
    found = response.context["found"]
    assert len(found) == min(count + 1, SEARCH_LIMIT)
    assert response.context["more"] == (count + 1 > SEARCH_LIMIT)
    assert response.text.count("appoint=") == 1  # only the new one holds no position
    assert response.text.count('name="member-cadre"') == 1  # and is not a member
    # The appoint form for the one who holds no position: that cadre, the fields of work.
    new = next(cadre for cadre in found if cadre.forum_position is None)
    with django_assert_num_queries(11):
        response = client.get(url("manage"), {"name": "kader", "appoint": new.public_id})
    assert response.context["chosen"] == new
    assert 'name="appoint-position"' in response.text
