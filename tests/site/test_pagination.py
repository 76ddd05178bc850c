"""forkom.pagination.KeysFirstPaginator: the same pages as Django's Paginator, found by key."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.models import CadreProfile
from forkom.pagination import KeysFirstPaginator
from tests.cadres.factories import make_nik, make_profile

NAMES = ["Wahyuni", "Andi", "Siti", "Budi", "Andi", "Rahmat", "Siti", "Yusuf", "Andi"]


@pytest.fixture
def cadres(bontang):
    # Repeated names: the order falls back to the primary key, as the list's ordering says.
    for number in range(23):
        make_profile(
            full_name=NAMES[number % len(NAMES)],
            nik=make_nik(),
            kelurahan="64.74.02.1001" if number % 3 else "64.74.01.1002",
        )


def listed():
    return CadreProfile.objects.filter(kelurahan__code__startswith="64.74.02").select_related(
        "kelurahan", "user"
    )


@pytest.mark.parametrize(("per_page", "orphans"), [(5, 0), (4, 2), (25, 0), (1, 0)])
def test_every_page_holds_the_rows_of_djangos_paginator_in_the_same_order(
    cadres, per_page, orphans
):
    expected = Paginator(listed(), per_page, orphans=orphans)
    paginator = KeysFirstPaginator(listed(), per_page, orphans=orphans)

    assert paginator.count == expected.count == 15
    assert paginator.num_pages == expected.num_pages
    for number in expected.page_range:
        page, want = paginator.page(number), expected.page(number)
        assert [row.pk for row in page.object_list] == [row.pk for row in want.object_list]
        assert (page.has_next(), page.start_index(), page.end_index()) == (
            want.has_next(),
            want.start_index(),
            want.end_index(),
        )


def test_rows_come_with_what_the_list_selects_and_out_of_range_pages_behave_alike(cadres):
    paginator = KeysFirstPaginator(listed(), 10)
    page = paginator.get_page(99)
    assert page.number == 2
    with CaptureQueriesContext(connection) as queries:
        names = [(row.full_name, row.kelurahan.name, row.user.email) for row in page]
    assert len(names) == 5
    assert not queries
    assert paginator.get_page("x").number == 1


def test_an_empty_list_gives_an_empty_first_page(bontang):
    page = KeysFirstPaginator(CadreProfile.objects.all(), 25).get_page(1)
    assert list(page) == []
    assert page.paginator.count == 0
