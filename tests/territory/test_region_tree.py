"""The home page's tree of the portal's kota (forkom.territory.selectors.region_tree): the
active kecamatan, each with its active kelurahan, in code order, and a region page's list
of what lies below it (children_of), read through kept statements; the same as worked out
here from the regions one by one."""

from forkom.territory.models import Region
from forkom.territory.selectors import children_of, region_tree, with_kecamatan
from tests.conftest import add_samarinda


def tree_of(code):
    """The tree worked out from every region, without the selector."""
    active = {region.code: region for region in Region.objects.all() if region.is_active}
    if code not in active:
        return None, []
    children = sorted(c for c, region in active.items() if region.parent_id == code)
    return code, [
        (child, sorted(c for c, region in active.items() if region.parent_id == child))
        for child in children
    ]


def codes(tree):
    root, branches = tree
    if root is None:
        return None, []
    return root.code, [(child.code, [leaf.code for leaf in leaves]) for child, leaves in branches]


def test_the_tree_is_the_kotas_active_kecamatan_and_kelurahan(bontang):
    add_samarinda()
    found = region_tree("64.74")
    assert codes(found) == tree_of("64.74")
    assert found[0].name == "Kota Bontang"
    assert [child.name for child, _leaves in found[1]] == [
        "Bontang Utara",
        "Bontang Selatan",
        "Bontang Barat",
    ]
    assert sum(len(leaves) for _child, leaves in found[1]) == 15


def test_what_is_retired_leaves_the_tree_at_once(bontang):
    Region.objects.filter(code="64.74.01.1001").update(is_active=False)
    Region.objects.filter(code="64.74.03").update(is_active=False)  # and its kelurahan with it
    found = region_tree("64.74")
    assert codes(found) == tree_of("64.74")
    assert "64.74.03" not in dict(codes(found)[1])
    assert "64.74.01.1001" not in codes(found)[1][0][1]
    Region.objects.filter(code="64.74").update(is_active=False)
    assert region_tree("64.74") == (None, [])
    assert region_tree("99.99") == (None, [])


def test_a_kecamatan_is_the_root_of_its_kelurahan(bontang):
    found = region_tree("64.74.02")
    assert codes(found) == tree_of("64.74.02")
    assert [(child.level, leaves) for child, leaves in found[1]] == [(4, [])] * 6


def test_a_regions_page_lists_its_active_children_as_stored_now(bontang):
    Region.objects.filter(code="64.74.02.1003").update(is_active=False)
    found = [region.code for region in children_of("64.74.02")]
    assert found == tree_of("64.74")[1][1][1]  # Bontang Selatan's kelurahan, one retired
    assert len(found) == 5
    assert "64.74.02.1003" not in found
    Region.objects.filter(code="64.74.02.1003").update(is_active=True)
    assert len(children_of("64.74.02")) == 6
    assert children_of("64.74.02.1001") == []


def test_a_kota_with_its_province_and_active_kecamatan_by_name(bontang):
    """with_kecamatan, which the training catalogue's area filter reads: the kota with its
    province, and its active kecamatan by name, as worked out from every region."""
    Region.objects.filter(code="64.74.02").update(is_active=False)  # Bontang Selatan
    kota, kecamatan = with_kecamatan("64.74")
    assert (kota.name, kota.parent.code, kota.parent.name) == (
        "Kota Bontang",
        "64",
        "Kalimantan Timur",
    )
    expected = sorted(
        (region.name, region.code)
        for region in Region.objects.all()
        if region.parent_id == "64.74" and region.is_active
    )
    assert [(region.name, region.code) for region in kecamatan] == expected
    assert "64.74.02" not in {region.code for region in kecamatan}
    assert len(expected) == 2
    assert with_kecamatan("99.99") == (None, [])
