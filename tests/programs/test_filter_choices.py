"""The area choices of the proposal list's filters: the kecamatan and kelurahan the viewer
may see, each list in the order a person looks for a name."""

from forkom.accounts.models import Role
from forkom.territory.models import Region
from programs.forms import ProposalFilter
from programs.models import Proposal
from tests.conftest import add_samarinda, make_persona


def choices(user):
    found = ProposalFilter({}, queryset=Proposal.objects.all(), user=user)
    return found.filters["kecamatan"].extra["choices"], found.filters["kelurahan"].extra["choices"]


def add_berau():
    """A kabupaten whose name sorts before Kota Bontang's, its kecamatan's after theirs."""
    Region.objects.create(
        code="64.03", name="Kabupaten Berau", level=2, kind="kabupaten", parent_id="64"
    )
    Region.objects.create(code="64.03.01", name="Tanjung Redeb", level=3, parent_id="64.03")
    Region.objects.create(code="64.03.01.1001", name="Gayam", level=4, parent_id="64.03.01")


def expected(kota_codes):
    """The same lists, worked out here from the regions one by one."""
    regions = [
        region for region in Region.objects.all() if region.code.split(".")[:2] in kota_codes
    ]
    kecamatan = sorted((r for r in regions if r.level == 3), key=lambda r: r.name)
    kelurahan = sorted((r for r in regions if r.level == 4), key=lambda r: (r.parent.name, r.name))
    groups = {}
    for region in kelurahan:
        groups.setdefault(region.parent.name, []).append((region.code, region.name))
    return [(r.code, r.name) for r in kecamatan], list(groups.items())


def test_the_coordinator_chooses_among_the_kotas_kecamatan_and_kelurahan(bontang):
    add_samarinda()
    kecamatan, kelurahan = choices(make_persona(Role.CITY_COORDINATOR, "64.74"))
    assert (kecamatan, kelurahan) == expected([["64", "74"]])
    assert [name for _code, name in kecamatan] == [
        "Bontang Barat",
        "Bontang Selatan",
        "Bontang Utara",
    ]
    assert sum(len(group) for _name, group in kelurahan) == 15
    assert "Palaran" not in dict(kelurahan)


def test_the_provinces_staff_see_every_kota_the_kecamatan_by_name_alone(bontang):
    add_samarinda()
    add_berau()
    kecamatan, kelurahan = choices(make_persona(Role.DINAS_STAFF, "64"))
    assert (kecamatan, kelurahan) == expected([["64", "74"], ["64", "72"], ["64", "03"]])
    # Tanjung Redeb (Kabupaten Berau) after Bontang's by its own name, not before them by
    # its kabupaten's.
    assert [name for _code, name in kecamatan] == [
        "Bontang Barat",
        "Bontang Selatan",
        "Bontang Utara",
        "Palaran",
        "Tanjung Redeb",
    ]
    assert [name for name, _group in kelurahan][-2:] == ["Palaran", "Tanjung Redeb"]
    assert dict(kelurahan)["Tanjung Redeb"] == [("64.03.01.1001", "Gayam")]


def test_a_kecamatan_officer_chooses_within_the_kecamatan(bontang):
    kecamatan, kelurahan = choices(make_persona(Role.FORUM_OFFICER, "64.74.03", "ketua"))
    assert kecamatan == [("64.74.03", "Bontang Barat")]
    assert [name for name, _group in kelurahan] == ["Bontang Barat"]
    assert len(dict(kelurahan)["Bontang Barat"]) == 3


def test_the_choices_follow_a_renamed_region_and_a_moved_role_on_the_next_form(bontang):
    """Both lists' area choices come from a statement kept per viewer (their roles among its
    key), the rows read afresh: a renamed or retired kelurahan shows on the next form, and
    an officer moved to another kecamatan chooses among its kelurahan at once."""
    from cadres.forms import CadreFilter
    from cadres.models import CadreProfile
    from forkom.accounts.models import RoleAssignment, User

    officer = make_persona(Role.FORUM_OFFICER, "64.74.03", "ketua")

    def both(user):
        cadres = CadreFilter({}, queryset=CadreProfile.objects.all(), user=user)
        return {
            "proposals": choices(user),
            "cadres": (
                cadres.filters["kecamatan"].extra["choices"],
                cadres.filters["kelurahan"].extra["choices"],
            ),
        }

    def kelurahan_names(found):
        return [name for _group, rows in found[1] for _code, name in rows]

    first = both(officer)
    for found in first.values():
        assert found[0] == [("64.74.03", "Bontang Barat")]
        assert len(kelurahan_names(found)) == 3
    Region.objects.filter(code="64.74.03.1001").update(name="Kelurahan Berganti Nama")
    renamed = both(officer)
    for found in renamed.values():
        assert "Kelurahan Berganti Nama" in kelurahan_names(found)
    # Retired: no longer offered for the cadres (whose list reads active kelurahan), still
    # for the proposals made there.
    Region.objects.filter(code="64.74.03.1001").update(is_active=False)
    retired = both(officer)
    assert "Kelurahan Berganti Nama" not in kelurahan_names(retired["cadres"])
    assert "Kelurahan Berganti Nama" in kelurahan_names(retired["proposals"])
    RoleAssignment.objects.filter(user=officer).update(region_id="64.74.01")
    moved = both(User.objects.get(pk=officer.pk))  # the next request reads the roles afresh
    for found in moved.values():
        assert found[0] == [("64.74.01", "Bontang Utara")]
        assert "Kelurahan Berganti Nama" not in kelurahan_names(found)
