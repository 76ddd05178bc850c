"""Kemendagri code shapes, and the subtree queries built on them."""

import pytest

from forkom.territory.codes import (
    ancestor_at,
    kind_of,
    level_of,
    lineage,
    parent_of,
    placement,
    subtree_prefix,
)
from forkom.territory.models import Region


@pytest.mark.parametrize(
    ("code", "level"),
    [("64", 1), ("64.74", 2), ("64.74.01", 3), ("64.74.01.1001", 4)],
)
def test_level_of_reads_the_level_from_the_code_shape(code, level):
    assert level_of(code) == level


@pytest.mark.parametrize(
    "code",
    [
        "",
        "6",
        "640",
        "64.7",
        "64.740",
        "64.74.1",
        "64.74.01.101",
        "64.74.01.10011",
        "64.74.01.1001.1",
        "64.74.",
        ".64",
        "64-74",
        "6474",
        "647401",
        "64.74.01.1001\n",
        " 64",
        "64.7a",
        "\uff16\uff14",  # fullwidth digits
        "\u0666\u0664.\u0667\u0664",  # Arabic-Indic digits
    ],
)
def test_level_of_is_none_for_a_malformed_code(code):
    assert level_of(code) is None


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("64", None),
        ("64.74", "64"),
        ("64.74.01", "64.74"),
        ("64.74.01.1001", "64.74.01"),
    ],
)
def test_parent_of_drops_the_last_segment(code, parent):
    assert parent_of(code) == parent


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("64.01", "kabupaten"),
        ("64.11", "kabupaten"),
        ("64.70", "kabupaten"),
        ("64.71", "kota"),
        ("64.74", "kota"),
        ("31.75", "kota"),
    ],
)
def test_kind_of_a_kabupaten_or_kota_follows_the_serial_71_and_above(code, kind):
    assert kind_of(code, 2) == kind


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("64.74.01.1001", "kelurahan"),
        ("64.02.01.2001", "desa"),
        ("51.01.01.3001", "desa_adat"),
    ],
)
def test_kind_of_a_village_follows_the_first_digit_of_its_serial(code, kind):
    assert kind_of(code, 4) == kind


def test_kind_of_a_provinsi_or_kecamatan_is_empty():
    assert kind_of("64", 1) == ""
    assert kind_of("64.74.01", 3) == ""


@pytest.mark.parametrize(
    ("code", "level", "ancestor"),
    [
        ("64.74.03.1001", 2, "64.74"),
        ("64.74.03.1001", 1, "64"),
        ("64.74.03", 3, "64.74.03"),
        ("64.74", 2, "64.74"),
        ("64", 2, "64"),
    ],
)
def test_ancestor_at_cuts_the_code_at_a_level_and_keeps_a_code_above_it(code, level, ancestor):
    assert ancestor_at(code, level) == ancestor


def test_subtree_prefix_ends_with_a_dot():
    assert subtree_prefix("64.74") == "64.74."


def make_regions(*codes):
    """Regions in code order, so each parent exists before its children."""
    for code in sorted(codes, key=lambda code: (level_of(code), code)):
        level = level_of(code)
        Region.objects.create(
            code=code,
            name=f"Region {code}",
            level=level,
            kind=kind_of(code, level),
            parent_id=parent_of(code),
        )


@pytest.fixture
def two_cities(db):
    """Kota Balikpapan (64.71) and Kota Bontang (64.74), one kecamatan and kelurahan each."""
    make_regions(
        "64",
        "64.71",
        "64.71.01",
        "64.71.01.1001",
        "64.74",
        "64.74.01",
        "64.74.01.1001",
        "64.74.02",
    )


def codes(queryset):
    return list(queryset.order_by("code").values_list("code", flat=True))


def test_within_holds_the_region_itself_and_everything_below_it(two_cities):
    assert codes(Region.objects.within("64.74")) == [
        "64.74",
        "64.74.01",
        "64.74.01.1001",
        "64.74.02",
    ]


def test_within_a_city_excludes_a_sibling_city_and_its_children(two_cities):
    within_bontang = codes(Region.objects.within("64.74"))
    assert not [code for code in within_bontang if code.startswith("64.71")]


def test_within_a_kecamatan_excludes_its_sibling_kecamatan(two_cities):
    assert codes(Region.objects.within("64.74.01")) == ["64.74.01", "64.74.01.1001"]


def test_within_a_bare_prefix_that_is_no_code_matches_nothing(two_cities):
    # Without the dot, "64.7" would be a text prefix of 64.71 and 64.74.
    assert codes(Region.objects.within("64.7")) == []
    assert codes(Region.objects.within("6")) == []


def test_below_excludes_the_region_itself(two_cities):
    assert codes(Region.objects.below("64.74.01")) == ["64.74.01.1001"]


def test_active_leaves_out_deactivated_regions(two_cities):
    Region.objects.filter(code="64.74.02").update(is_active=False)
    assert "64.74.02" not in codes(Region.objects.within("64.74").active())
    assert "64.74.01" in codes(Region.objects.within("64.74").active())


def test_a_region_contains_itself_and_its_subtree_but_not_a_sibling(two_cities):
    bontang = Region.objects.get(code="64.74")
    assert bontang.contains("64.74")
    assert bontang.contains("64.74.01.1001")
    assert not bontang.contains("64.71.01")
    assert not bontang.contains("64.7")
    assert not bontang.contains("64")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("64", (1, "", None)),
        ("64.74", (2, "kota", "64")),
        ("64.02", (2, "kabupaten", "64")),
        ("64.74.01", (3, "", "64.74")),
        ("64.74.01.1001", (4, "kelurahan", "64.74.01")),
        ("64.02.01.2001", (4, "desa", "64.02.01")),
        ("64.7", None),
    ],
)
def test_a_codes_shape_places_it_in_the_tree(code, expected):
    assert placement(code) == expected


@pytest.mark.parametrize(
    ("code", "chain"),
    [
        ("64", ["64"]),
        ("64.74.01", ["64.74.01", "64.74", "64"]),
        ("64.74.01.1001", ["64.74.01.1001", "64.74.01", "64.74", "64"]),
    ],
)
def test_lineage_is_the_code_and_every_code_above_it(code, chain):
    assert lineage(code) == chain
